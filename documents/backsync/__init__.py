"""Back-sync from 1C: payments, shipments, unallocated payments, catalog push, employees.

Entry points are the Celery tasks in `tasks.py`; each loads a portal and calls a service here.
"""
