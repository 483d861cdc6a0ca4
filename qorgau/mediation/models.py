"""Reconciliation of the accused minor and the victim: referral, consent, sessions, agreement."""
