from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "actiontrack.notify"
    label = "notify"
    verbose_name = "Reminders"

    def ready(self):
        # The plans layer cannot call up into this one: it announces committed webhook events and
        # notifications, and this layer queues their sending.
        from actiontrack.plans.services.notifications import notifications_saved
        from actiontrack.plans.services.webhooks import event_saved

        from .at_once import queue_at_once
        from .webhooks import queue_deliveries

        event_saved.connect(queue_deliveries, dispatch_uid="actiontrack.notify.webhooks")
        notifications_saved.connect(queue_at_once, dispatch_uid="actiontrack.notify.at_once")
