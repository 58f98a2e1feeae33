"""Pieces every app shares: the audit base model, ``model_update``, enqueuing
tasks by name after commit, and turning service errors into form errors.

``common`` sits below every other app: it imports none of them.
"""
