"""Forms of the orders app (a package: portal and staff modules)."""
