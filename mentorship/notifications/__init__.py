"""Notifications: the one way to tell a person something (in-app list, email, preferences,
unsubscribe, quiet hours).

Apps declare what they tell people in their own ``notifications.py`` (a ``Kind`` each, and the
functions that build the key, recipients and context) and call ``service.notify`` inside the
transaction of the change they report. Nothing else sends email.
"""
