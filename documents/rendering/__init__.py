"""Document rendering: the 1C-layout invoice (invoice_*.py, payment_qr.py) and contracts."""
