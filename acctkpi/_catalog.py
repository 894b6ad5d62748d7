"""Static reference data for the generator: plans, products, names, codes.

Decline codes are read from the project's reference seed
(seeds/reference/decline_codes.csv) so that generated failures always map to the
seed; an identical embedded copy is the fallback when the seed is not on disk.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "JPY"]
CUR_EXP = np.array([2, 2, 2, 2, 2, 0], dtype=np.int8)
CUR_P = [0.84, 0.05, 0.04, 0.03, 0.025, 0.015]
# rough "how many minor units is one US cent" for sizing one-off amounts
CUR_SCALE = np.array([1.0, 0.92, 0.79, 1.36, 1.52, 1.5])
NO_FX_CURRENCIES = ["BRL", "MXN", "ARS"]  # no rate in fx_rates.csv

# currency -> countries (first is most common)
COUNTRIES = ["US", "DE", "FR", "NL", "ES", "IE", "GB", "CA", "AU", "JP"]
CUR_COUNTRIES = {0: ([0], [1.0]), 1: ([1, 2, 3, 4, 5], [0.35, 0.25, 0.15, 0.15, 0.10]),
                 2: ([6], [1.0]), 3: ([7], [1.0]), 4: ([8], [1.0]), 5: ([9], [1.0])}
# calling code and national number prefix per country (synthetic numbers only)
COUNTRY_PHONE = {0: ("1", "555"), 1: ("49", "1550"), 2: ("33", "655"), 3: ("31", "655"), 4: ("34", "655"),
                 5: ("353", "855"), 6: ("44", "7700"), 7: ("1", "555"), 8: ("61", "4550"), 9: ("81", "9055")}
# tax rate choices per country
COUNTRY_TAX = {0: [0.0, 0.0, 0.0625, 0.07, 0.08875], 1: [0.19], 2: [0.2], 3: [0.21], 4: [0.21], 5: [0.23],
               6: [0.2], 7: [0.05, 0.13], 8: [0.1], 9: [0.1]}

# ---------------------------------------------------------------- plans
# id, name, product_line, interval, interval_count, unit_amount, currency, active, weight
PLANS = [
    ("plan_ess_month_usd", "Essentials Monthly", "essentials", "month", 1, 2999, "USD", True, 30),
    ("plan_ess_quarter_usd", "Essentials Quarterly", "essentials", "month", 3, 7999, "USD", True, 8),
    ("plan_ess_year_usd", "Essentials Annual", "essentials", "year", 1, 29900, "USD", True, 5),
    ("plan_ess_week_usd", "Essentials Weekly", "essentials", "week", 1, 899, "USD", True, 4),
    ("plan_perf_month_usd", "Performance Monthly", "performance", "month", 1, 4999, "USD", True, 15),
    ("plan_perf_quarter_usd", "Performance Quarterly", "performance", "month", 3, 13499, "USD", True, 5),
    ("plan_perf_year_usd", "Performance Annual", "performance", "year", 1, 49900, "USD", True, 3),
    ("plan_well_month_usd", "Wellness Monthly", "wellness", "month", 1, 1999, "USD", True, 10),
    ("plan_well_week_usd", "Wellness Weekly", "wellness", "week", 1, 599, "USD", True, 3),
    ("plan_well_30day_usd", "Wellness 30-Day", "wellness", "day", 30, 1899, "USD", True, 2),
    ("plan_ess_month_usd_2023", "Essentials Monthly (2023 price)", "essentials", "month", 1, 2499, "USD", False, 0),
    ("plan_ess_month_eur", "Essentials Monthly EUR", "essentials", "month", 1, 2799, "EUR", True, 3),
    ("plan_perf_month_eur", "Performance Monthly EUR", "performance", "month", 1, 4599, "EUR", True, 2),
    ("plan_ess_quarter_eur", "Essentials Quarterly EUR", "essentials", "month", 3, 7499, "EUR", True, 1),
    ("plan_ess_month_gbp", "Essentials Monthly GBP", "essentials", "month", 1, 2399, "GBP", True, 3),
    ("plan_perf_month_gbp", "Performance Monthly GBP", "performance", "month", 1, 3999, "GBP", True, 2),
    ("plan_ess_month_cad", "Essentials Monthly CAD", "essentials", "month", 1, 3999, "CAD", True, 3),
    ("plan_perf_month_cad", "Performance Monthly CAD", "performance", "month", 1, 6499, "CAD", True, 2),
    ("plan_ess_month_aud", "Essentials Monthly AUD", "essentials", "month", 1, 4499, "AUD", True, 3),
    ("plan_perf_month_aud", "Performance Monthly AUD", "performance", "month", 1, 7499, "AUD", True, 2),
    ("plan_ess_month_jpy", "Essentials Monthly JPY", "essentials", "month", 1, 4500, "JPY", True, 3),
    ("plan_perf_month_jpy", "Performance Monthly JPY", "performance", "month", 1, 7500, "JPY", True, 2),
]
LEGACY_PLAN = 10
P_ID = [p[0] for p in PLANS]
P_LINE = [p[2] for p in PLANS]
INTERVALS = ["day", "week", "month", "year"]
P_INTERVAL = np.array([INTERVALS.index(p[3]) for p in PLANS], dtype=np.int64)
P_COUNT = np.array([p[4] for p in PLANS], dtype=np.int64)
P_UNIT = np.array([p[5] for p in PLANS], dtype=np.int64)
P_CUR = np.array([CURRENCIES.index(p[6]) for p in PLANS], dtype=np.int64)
P_ACTIVE = np.array([p[7] for p in PLANS], dtype=bool)
P_WEIGHT = np.array([p[8] for p in PLANS], dtype=np.float64)
P_LINE_IDX = np.array([["essentials", "performance", "wellness"].index(p[2]) for p in PLANS], dtype=np.int64)
IV_DAY, IV_WEEK, IV_MONTH, IV_YEAR = 0, 1, 2, 3
# months per billing period (approximate for day/week plans) -> used for hazards
P_PERIOD_MONTHS = np.where(P_INTERVAL == IV_MONTH, P_COUNT,
                           np.where(P_INTERVAL == IV_YEAR, 12 * P_COUNT,
                                    np.where(P_INTERVAL == IV_WEEK, P_COUNT * 12.0 / 52.0, P_COUNT * 12.0 / 365.0)))
P_MONTHLY = P_UNIT / P_PERIOD_MONTHS  # monthly-normalised price (for upgrade vs downgrade)
# shipped goods -> subscription_contract orders in the shop
P_SHIPS = np.array([p[2] != "wellness" for p in PLANS], dtype=bool)


def plan_alternatives():
    """For each plan: list of active plans in the same currency and billing interval."""
    alts = []
    for i in range(len(PLANS)):
        a = [j for j in range(len(PLANS)) if j != i and P_ACTIVE[j] and P_CUR[j] == P_CUR[i]
             and P_INTERVAL[j] == P_INTERVAL[i] and P_COUNT[j] == P_COUNT[i]]
        alts.append(a)
    return alts


# ---------------------------------------------------------------- decline codes
_EMBEDDED_DECLINES = """gateway,decline_code,decline_class,description
processor_a,insufficient_funds,soft,Card has insufficient funds; retry later
processor_a,do_not_honor,soft,Issuer declined without a reason; retryable
processor_a,generic_decline,soft,Generic issuer decline; retryable
processor_a,processing_error,soft,Error while processing the card; retryable
processor_a,try_again_later,soft,Issuer asked to retry later
processor_a,expired_card,hard,Card expired; needs a new card
processor_a,incorrect_number,hard,Card number is wrong; needs a new card
processor_a,lost_card,hard,Card reported lost
processor_a,stolen_card,hard,Card reported stolen
processor_a,fraudulent,hard,Issuer suspects fraud
processor_a,account_closed,hard,Card account closed
processor_b,200,soft,Declined by processor; retryable
processor_b,201,soft,Do not honor
processor_b,202,soft,Insufficient funds
processor_b,203,soft,Over limit
processor_b,300,soft,Rejected by gateway (response 3 error)
processor_b,400,soft,Processor error (response 3 error)
processor_b,204,hard,Transaction not allowed
processor_b,220,hard,Incorrect payment information
processor_b,223,hard,Expired card
processor_b,250,hard,Pick up card
processor_b,251,hard,Lost card
processor_b,252,hard,Stolen card
processor_b,253,hard,Fraudulent card
processor_b,261,hard,Account closed
"""


def load_declines():
    seed = Path(__file__).resolve().parent.parent / "seeds" / "reference" / "decline_codes.csv"
    text = seed.read_text() if seed.exists() else _EMBEDDED_DECLINES
    rows = list(csv.DictReader(text.splitlines()))
    out = {}
    for gw in ("processor_a", "processor_b"):
        for cls in ("soft", "hard"):
            sel = [r for r in rows if r["gateway"] == gw and r["decline_class"] == cls]
            out[(gw, cls)] = ([r["decline_code"] for r in sel], [r["description"] for r in sel])
    return out


# relative frequencies of A codes inside each class (by position in the seed order; padded with 1)
A_SOFT_W = [0.40, 0.30, 0.18, 0.07, 0.05]
A_HARD_W = [0.45, 0.08, 0.10, 0.10, 0.12, 0.15]
B_SOFT_W = [0.25, 0.25, 0.25, 0.10, 0.08, 0.07]
B_HARD_W = [0.15, 0.10, 0.25, 0.10, 0.10, 0.10, 0.10, 0.10]

# ---------------------------------------------------------------- people
FIRST = ["james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "david", "elizabeth",
         "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "chris", "karen",
         "daniel", "lisa", "matthew", "nancy", "anthony", "sandra", "mark", "ashley", "paul", "emily",
         "steven", "donna", "andrew", "michelle", "kevin", "carol", "brian", "amanda", "george", "melissa",
         "lucas", "emma", "noah", "olivia", "liam", "sofia", "mateo", "hannah", "yuki", "haruto",
         "leon", "mia", "oliver", "amelia", "jack", "isla", "chloe", "ethan", "zoe", "aiden"]
LAST = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
        "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
        "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
        "walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores",
        "muller", "schmidt", "dubois", "janssen", "murphy", "tanaka", "sato", "evans", "roy", "kelly"]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com", "proton.me",
           "mail.com", "gmx.de", "btinternet.com"]
DOMAIN_P = [0.45, 0.12, 0.12, 0.10, 0.07, 0.04, 0.03, 0.03, 0.02, 0.02]

LIFECYCLE_CUSTOMER = ["customer", "evangelist", "other"]
LIFECYCLE_LEAD = ["lead", "subscriber", "marketingqualifiedlead", "opportunity"]
CHANNELS = ["paid_social", "organic_search", "paid_search", "referral", "email", "affiliate", "sms", "direct"]
CHANNEL_P = [0.28, 0.16, 0.14, 0.10, 0.08, 0.10, 0.06, 0.08]

CANCEL_REASONS = {
    "customer": (["too_expensive", "not_using", "switched_competitor", "product_issue", "other", "too_much_product"],
                 [0.30, 0.25, 0.10, 0.10, 0.10, 0.15]),
    "support": (["customer_request", "product_issue", "shipping_issue", "too_expensive"], [0.4, 0.25, 0.2, 0.15]),
    "dunning": (["payment_failed"], [1.0]),
    "fraud_review": (["fraud"], [1.0]),
}
CANCEL_SOURCES = ["customer", "support", "dunning", "fraud_review"]

# ---------------------------------------------------------------- shop
# sku, product_type, line (-1 = add-on), usd price minor
PRODUCTS = [
    ("ESS-30", "supplement", 0, 2999), ("PERF-30", "supplement", 1, 4999), ("WELL-30", "digital", 2, 1999),
    ("ADD-SHAKER", "accessory", -1, 1499), ("ADD-BAR-12", "snack", -1, 2499), ("ADD-VITD", "supplement", -1, 1299),
    ("ADD-SAMPLER", "bundle", -1, 3499), ("MERCH-TEE", "apparel", -1, 2500), ("ADD-COLLAGEN", "supplement", -1, 3999),
]
PROD_SKU = [p[0] for p in PRODUCTS]
PROD_TYPE = [p[1] for p in PRODUCTS]
PROD_PRICE = np.array([p[3] for p in PRODUCTS], dtype=np.int64)
ADDON_IDX = np.array([i for i, p in enumerate(PRODUCTS) if p[2] == -1], dtype=np.int64)
BASE_IDX_BY_LINE = np.array([0, 1, 2], dtype=np.int64)

# ---------------------------------------------------------------- support
TAGS = ["billing", "cancel_request", "payment_issue", "shipping", "product_issue"]
SUBJECTS = {
    "payment_issue": ["My card was declined", "Payment failed but I have funds", "Why was my payment declined?"],
    "cancel_request": ["Please cancel my subscription", "Cancel my plan", "How do I cancel?"],
    "billing": ["Question about my invoice", "Charged twice?", "Need a receipt", "Change billing date"],
    "shipping": ["Where is my order?", "Package not delivered", "Tracking not updating"],
    "product_issue": ["Product arrived damaged", "Wrong item received", "Not happy with the product"],
}
