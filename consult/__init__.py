"""consult: accessible community consultations for safer cities."""
