"""The approver page: tickets of configs naming the person, waiting for approval."""
