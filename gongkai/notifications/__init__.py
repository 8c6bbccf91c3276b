"""Delivery of messages to people outside the system: e-mail (Django's mail system) and SMS.

Transport only, no models: what is sent, to whom and why is recorded by the caller (the
applicant's messages of a case: ``gongkai.cases.notifications``). ``sms.backend()`` gives the
configured SMS backend (``settings.SMS_BACKEND``: ``file`` one file per message under
``settings.SMS_FILE_PATH``, ``http`` the agency's SMS platform, ``memory`` for tests, ``disabled``);
``mail.send_one`` sends one e-mail on its own connection (with Django's ``filebased`` backend:
one file per message).
"""
