"""The providers' tracking webhooks (django-anymail's views), under /newsletter/anymail/.

Only the tracking views, and only of the providers whose views need nothing more than
anymail itself: no inbound mail is taken, and Amazon SES (boto3), Resend (svix) and
Unisender Go are left out (docs/newsletters.md), and SendGrid, which anymail no longer
supports. Each view checks the provider's basic auth
or signature before anything is read; ``receivers.py`` takes the events it lets through.
"""

from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailersend import MailerSendTrackingWebhookView
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.mailtrap import MailtrapTrackingWebhookView
from anymail.webhooks.mandrill import MandrillCombinedWebhookView
from anymail.webhooks.postal import PostalTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.sparkpost import SparkPostTrackingWebhookView
from django.urls import path

PROVIDERS = {
    "brevo": BrevoTrackingWebhookView,
    "mailersend": MailerSendTrackingWebhookView,
    "mailgun": MailgunTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "mailtrap": MailtrapTrackingWebhookView,
    "mandrill": MandrillCombinedWebhookView,
    "postal": PostalTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "sparkpost": SparkPostTrackingWebhookView,
}

app_name = "anymail"
urlpatterns = [
    path(f"{name}/tracking/", view.as_view(), name=f"{name}_tracking_webhook")
    for name, view in PROVIDERS.items()
]
