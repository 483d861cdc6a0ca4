from django.dispatch import Signal

# Sent inside the recording transaction, so a subscriber (the safeguards) that raises rolls
# the event back, and a subscriber's writes land with the event or not at all.
# Arguments: event (ProceduralEvent), actor (User).
event_recorded = Signal()
