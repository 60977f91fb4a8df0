"""Page objects: one per screen of each site, every selector of a screen in its class.

They expose intentions (``open_new_order()``, ``pick_customer(cnpj)``, ``submit_as("hold")``)
and wait for the site's own signals (overlay gone, spinner gone, toast, URL, badge), never
sleeps. They raise the system errors of ``rpa.errors``; they never decide business outcomes.
Locators: the contract's ids / test ids first, then role + accessible name, then label.
"""
