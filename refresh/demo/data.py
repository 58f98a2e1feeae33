"""The demo campaign's fixed data: models, peripherals, software, people's
names, units, configs, and which tickets get a printed customer link.
"""

from __future__ import annotations

from refresh.choices import Platform, RefreshStyle, TicketStatus

S = TicketStatus


NEW_MODELS = [
    ("Dell", "Latitude 7450", Platform.WINDOWS),
    ("Dell", "OptiPlex Micro 7020", Platform.WINDOWS),
    ("Lenovo", "ThinkPad T14 Gen 5", Platform.WINDOWS),
    ("Apple", 'MacBook Pro 14" (M4)', Platform.MAC),
    ("Apple", 'MacBook Air 13" (M3)', Platform.MAC),
    ("Apple", 'iMac 24" (M4)', Platform.MAC),
]


OLD_MODELS = [
    ("Dell", "Latitude 5490", Platform.WINDOWS),
    ("Dell", "OptiPlex 7050", Platform.WINDOWS),
    ("Apple", 'MacBook Pro 13" (2018)', Platform.MAC),
]


PERIPHERALS = [
    ("Dell 24 Monitor P2425H", "Dell", "monitor"),
    ("Dell 27 Monitor P2725H", "Dell", "monitor"),
    ("Dell Dock WD19S", "Dell", "dock"),
    ("Apple USB-C Digital AV Adapter", "Apple", "adapter"),
    ("Logitech MK270 keyboard and mouse", "Logitech", "input"),
    ("Jabra Evolve2 40 headset", "Jabra", "audio"),
]


BUNDLES = {
    "Standard desk bundle": [
        "Dell 24 Monitor P2425H",
        "Dell Dock WD19S",
        "Logitech MK270 keyboard and mouse",
    ],
    "Remote worker bundle": ["Dell 24 Monitor P2425H", "Jabra Evolve2 40 headset"],
}


SOFTWARE = [
    ("Microsoft 365 Apps", "Microsoft", ""),
    ("Adobe Acrobat Pro", "Adobe", ""),
    ("MATLAB", "MathWorks", ""),
    ("IBM SPSS Statistics", "IBM", ""),
    ("GraphPad Prism", "GraphPad", ""),
    ("EndNote", "Clarivate", ""),
    ("Zoom Workplace", "Zoom", ""),
    ("SolidWorks", "Dassault", Platform.WINDOWS),
    ("Final Cut Pro", "Apple", Platform.MAC),
]


FIRST = [
    "Avery", "Blake", "Casey", "Dana", "Eli", "Frankie", "Gray", "Harper", "Indy", "Jules",
    "Kai", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Toby",
]  # fmt: skip


LAST = [
    "Nguyen", "Patel", "Garcia", "Kim", "Okafor", "Schmidt", "Rossi", "Haddad", "Larsen",
    "Silva",
]  # fmt: skip


# organization name -> (email domain, people, hostname prefix, buildings)
UNITS = {
    "School of Medicine": (
        "med.example.edu",
        80,
        "MED",
        ["Medical Science I", "Medical Science II", "Taubman Center"],
    ),
    "Cardiology": ("cardio.med.example.edu", 50, "CAR", ["Cardiovascular Center"]),
    "College of Engineering": (
        "engin.example.edu",
        50,
        "ENG",
        ["EECS Building", "Beyster Building", "GG Brown Lab"],
    ),
}


LAB_SYSTEMS = 20


STOCK_SYSTEMS = 40


CONFIGS = [
    # name, organization, style, team, approval, options, bundle
    (
        "Medicine 2026 desktop refresh",
        "School of Medicine",
        RefreshStyle.ON_PREM,
        "Desktop Support North",
        True,
        {"can_customize_computer": True, "can_customize_peripherals": True,
         "can_customize_software": True, "replacement_group": "Medicine desktops"},
        "Standard desk bundle",
    ),
    (
        "Cardiology remote clinicians",
        "Cardiology",
        RefreshStyle.REMOTE,
        "Desktop Support South",
        False,
        {"can_customize_platform": True, "can_request_different_device": True,
         "replacement_group": "Cardiology remote laptops"},
        "Remote worker bundle",
    ),
    (
        "Engineering faculty (unit delivers)",
        "College of Engineering",
        RefreshStyle.USER_SPECIFIED_LOCATION,
        "Desktop Support South",
        False,
        {"can_customize_computer": True, "can_customize_software": True},
        "Standard desk bundle",
    ),
    (
        "Engineering teaching labs",
        "College of Engineering",
        RefreshStyle.NO_CUSTOMER,
        "Desktop Support North",
        False,
        {},
        "Standard desk bundle",
    ),
    (
        "Medicine loaner bump-down",
        "School of Medicine",
        RefreshStyle.BUMP_DOWN,
        "Desktop Support North",
        False,
        {},
        "",
    ),
]  # fmt: skip


BATCH_NAME = "Medicine fall wave"


# Which demo tickets get a printed customer link: (label, status, style, purpose).
CUSTOMER_LINKS = [
    ("wizard, on premises", TicketStatus.PENDING_CUSTOMER, RefreshStyle.ON_PREM, "refresh_wizard"),
    (
        "wizard, remote (@home)",
        TicketStatus.PENDING_CUSTOMER,
        RefreshStyle.REMOTE,
        "refresh_wizard",
    ),
    (
        "wizard, user-specified location",
        TicketStatus.PENDING_CUSTOMER,
        RefreshStyle.USER_SPECIFIED_LOCATION,
        "refresh_wizard",
    ),
    (
        "pick a day-1 slot",
        TicketStatus.PENDING_CUSTOMER_SCHEDULING,
        RefreshStyle.ON_PREM,
        "refresh_pick_slot",
    ),
    (
        "change a booked slot",
        TicketStatus.DELIVERY_SCHEDULED,
        RefreshStyle.ON_PREM,
        "refresh_reschedule",
    ),
]
