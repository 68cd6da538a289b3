"""The demo's readers' accounts, made the one way every demo part makes them."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def demo_account(*, username: str, email: str, name: str = "", verified: bool = True):
    """The account ``username``, made once with no usable password (demo readers sign in by
    an e-mailed code, or get a password from ``manage.py changepassword``), its address
    ``email`` verified unless ``verified`` is False. Safe to call again."""
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None:
        user = users.create_user(username=username, email=email, first_name=name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if verified:
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user
