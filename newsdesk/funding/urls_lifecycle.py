"""Public URLs of the donor e-mails (one-click unsubscribe). Part of ``funding.urls``
(namespace ``funding``). (Written by the lifecycle part.)"""

urlpatterns: list = []
