"""Juvenile legal consultations, the 24/7 duty roster and on-duty assignments."""
