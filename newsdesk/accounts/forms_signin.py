"""Sign-in by e-mail alone: allauth's "send me a sign-in code" form, with the one rule of
this site added (``ACCOUNT_FORMS["request_login_code"]``).

allauth sends a code to an address an account holds and, to an unknown address, a mail
saying there is no account there (the page answers the same either way: no account
enumeration). Here an address a guest commented or gave with is not unknown: a passwordless
account is opened for it and the code goes out (``services_account.login_code_account``);
entering the code verifies the address, signs the reader in, and joins their guest comments
to the account (the adapter's ``post_login``). allauth's own limits
(``ACCOUNT_RATE_LIMITS["request_login_code"]``) are counted first, by super().
"""

from allauth.account.forms import RequestLoginCodeForm
from allauth.core import context as allauth_context

from newsdesk.accounts.services_account import login_code_account


class ReaderLoginCodeForm(RequestLoginCodeForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if email:
            self._user = login_code_account(
                email=email, found=self._user, request=allauth_context.request
            )
        return email
