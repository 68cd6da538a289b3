"""Public URLs of a monthly gift's management that need no sign-in (the demo provider's
card page, signed links from e-mails). Part of ``funding.urls`` (namespace ``funding``).
(Written by the giving part.)"""

urlpatterns: list = []
