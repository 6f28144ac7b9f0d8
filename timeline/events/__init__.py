"""Events: what each time reference dates, and how a timeline shows it."""
