"""The newsletters' writes: ``subscriptions`` (sign-up, double opt-in, preferences,
unsubscribing), ``signup_mail`` (the e-mails the sign-up sends), ``sending`` (issues)."""
