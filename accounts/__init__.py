"""One's own account: two-factor sign-in (django-otp) and one's active sessions."""
