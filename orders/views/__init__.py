"""Views of the orders app: portal, emailed links, staff pages, the shared attachment download."""
