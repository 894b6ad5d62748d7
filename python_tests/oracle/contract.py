"""The raw landing contract (as the sources YAML declares it), written out as data.

For each of the 16 raw tables: the columns in contract order (the order matters: the
de-duplication hash is computed over the raw text values in this order), the primary key,
and how each typed column is parsed by rule D0.

Column kinds
  ts      timestamp (ISO-8601 with/without offset, epoch seconds, YYYYMMDDhhmmss)
  minor   money, integer minor units in the contract (a decimal string is read as major units)
  major   money, decimal string in major units
  int     integer count
  num     numeric (discount_pct)
  bool    boolean
  enum    code normalised to a known value set (unknown -> 'unknown')
  cur     currency code (trim, upper case)
  id      identifier (trimmed)
  email   e-mail (trim, lower case)
  text    kept as is
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    system: str
    name: str
    columns: tuple[str, ...]
    key: str
    nullable: frozenset = field(default_factory=frozenset)
    kinds: dict = field(default_factory=dict)
    enums: dict = field(default_factory=dict)
    # D0 de-duplication: "updated_at" column, or (status column, rank dict)
    dedupe_updated_at: str | None = None
    dedupe_status: tuple | None = None
    # D0 FX quarantine: (currency column, timestamp column) for rows carrying both
    fx: tuple | None = None
    # the column holding the currency of minor-unit money (for the exponent)
    money_currency: str | None = None
    # scheduled (forward-looking) timestamps: exempt from the "> run_started_at + 1 day" bound
    scheduled: frozenset = frozenset()

    @property
    def qualified(self) -> str:
        return f"{self.system}.{self.name}"


def _t(system, name, cols, key, nullable=(), kinds=None, enums=None, **kw):
    nulls = frozenset(nullable.split() if isinstance(nullable, str) else nullable)
    return Table(system, name, tuple(cols.split()), key, nulls, kinds or {}, enums or {}, **kw)


SUB_STATUS = ("trialing", "active", "past_due", "unpaid", "paused", "canceled")
EVENT_TYPES = ("created", "trial_converted", "plan_changed", "quantity_changed", "paused", "resumed",
               "canceled", "reactivated")
CANCEL_SOURCES = ("customer", "support", "dunning", "fraud_review")
FLOWS = ("payment_failed_recovery", "card_update_request", "renewal_reminder", "post_payment_upsell", "winback",
         "newsletter", "promo")

INVOICE_STATUS_RANK = {"paid": 3, "uncollectible": 3, "void": 3, "open": 2, "draft": 1}
CHARGE_STATUS_RANK = {"succeeded": 2, "failed": 2, "pending": 1}
DISPUTE_STATUS_RANK = {"won": 2, "lost": 2, "needs_response": 1}

TABLES: dict[str, Table] = {}


def _add(t: Table):
    TABLES[t.qualified] = t


_add(_t("billing", "customers", "id email crm_contact_id currency created_at deleted", "id",
        "email crm_contact_id",
        {"id": "id", "email": "email", "crm_contact_id": "id", "currency": "cur", "created_at": "ts",
         "deleted": "bool"}))
_add(_t("billing", "plans", "id name product_line interval interval_count unit_amount currency active", "id", "",
        {"id": "id", "product_line": "lower", "interval": "enum", "interval_count": "int", "unit_amount": "minor",
         "currency": "cur", "active": "bool"},
        {"interval": ("day", "week", "month", "year")}, money_currency="currency"))
_add(_t("billing", "subscriptions",
        "id customer_id plan_id quantity discount_pct status created_at trial_end current_period_start "
        "current_period_end canceled_at cancellation_reason cancellation_source pause_start pause_end updated_at",
        "id", "discount_pct trial_end canceled_at cancellation_reason cancellation_source pause_start pause_end",
        {"id": "id", "customer_id": "id", "plan_id": "id", "quantity": "int", "discount_pct": "num",
         "status": "enum", "created_at": "ts", "trial_end": "ts", "current_period_start": "ts",
         "current_period_end": "ts", "canceled_at": "ts", "cancellation_reason": "lower",
         "cancellation_source": "enum", "pause_start": "ts", "pause_end": "ts", "updated_at": "ts"},
        {"status": SUB_STATUS, "cancellation_source": CANCEL_SOURCES}, dedupe_updated_at="updated_at",
        scheduled=frozenset({"trial_end", "current_period_end", "pause_end"})))
_add(_t("billing", "subscription_events",
        "id subscription_id type occurred_at previous_plan_id plan_id previous_quantity quantity reason", "id",
        "previous_plan_id plan_id previous_quantity quantity reason",
        {"id": "id", "subscription_id": "id", "type": "enum", "occurred_at": "ts", "previous_plan_id": "id",
         "plan_id": "id", "previous_quantity": "int", "quantity": "int", "reason": "lower"},
        {"type": EVENT_TYPES}))
_add(_t("billing", "invoices",
        "id subscription_id customer_id billing_reason period_start period_end subtotal discount tax total "
        "currency status attempt_count created_at paid_at", "id", "subscription_id paid_at",
        {"id": "id", "subscription_id": "id", "customer_id": "id", "billing_reason": "enum", "period_start": "ts",
         "period_end": "ts", "subtotal": "minor", "discount": "minor", "tax": "minor", "total": "minor",
         "currency": "cur", "status": "enum", "attempt_count": "int", "created_at": "ts", "paid_at": "ts"},
        {"billing_reason": ("subscription_create", "subscription_cycle", "subscription_update", "manual"),
         "status": ("draft", "open", "paid", "uncollectible", "void")},
        dedupe_status=("status", INVOICE_STATUS_RANK), fx=("currency", "created_at"), money_currency="currency",
        scheduled=frozenset({"period_end"})))
_add(_t("processor_a", "charges",
        "id invoice order_ref customer amount currency status failure_code outcome_type attempt "
        "payment_method_fingerprint created", "id",
        "invoice order_ref customer failure_code outcome_type payment_method_fingerprint",
        {"id": "id", "invoice": "id", "order_ref": "id", "customer": "id", "amount": "minor", "currency": "cur",
         "status": "enum", "failure_code": "lower", "outcome_type": "enum", "attempt": "int", "created": "ts"},
        {"status": ("succeeded", "failed", "pending"),
         "outcome_type": ("authorized", "issuer_declined", "blocked", "invalid")},
        dedupe_status=("status", CHARGE_STATUS_RANK), fx=("currency", "created"), money_currency="currency"))
_add(_t("processor_a", "refunds", "id charge amount reason created", "id", "reason",
        {"id": "id", "charge": "id", "amount": "minor", "reason": "lower", "created": "ts"}))
_add(_t("processor_a", "disputes", "id charge amount reason status created", "id", "",
        {"id": "id", "charge": "id", "amount": "minor", "reason": "lower", "status": "enum", "created": "ts"},
        {"status": ("needs_response", "won", "lost")}, dedupe_status=("status", DISPUTE_STATUS_RANK)))
_add(_t("processor_a", "payment_method_updates", "id customer source created", "id", "",
        {"id": "id", "customer": "id", "source": "enum", "created": "ts"},
        {"source": ("card_updater", "customer_portal", "support")}))
_add(_t("processor_b", "transactions",
        "transaction_id type response response_code response_text amount currency time order_id "
        "customer_vault_id original_transaction_id", "transaction_id",
        "response_text order_id customer_vault_id original_transaction_id",
        {"transaction_id": "id", "type": "enum", "response": "enum", "response_code": "id", "amount": "major",
         "currency": "cur", "time": "ts", "order_id": "id", "customer_vault_id": "id",
         "original_transaction_id": "id"},
        {"type": ("sale", "refund", "chargeback"), "response": ("1", "2", "3")}, fx=("currency", "time")))
_add(_t("crm", "contacts",
        "contact_id email phone first_name last_name billing_customer_id lifecycle_stage acquisition_channel "
        "country created_at updated_at is_deleted", "contact_id",
        "email phone first_name last_name billing_customer_id lifecycle_stage acquisition_channel country",
        {"contact_id": "id", "email": "email", "billing_customer_id": "id", "lifecycle_stage": "lower",
         "acquisition_channel": "lower", "country": "cur", "created_at": "ts", "updated_at": "ts",
         "is_deleted": "bool"}, dedupe_updated_at="updated_at"))
_add(_t("shop", "orders",
        "id name email billing_customer_id created_at cancelled_at financial_status source_name subtotal_price "
        "total_discounts total_price currency", "id", "email billing_customer_id cancelled_at",
        {"id": "id", "name": "id", "email": "email", "billing_customer_id": "id", "created_at": "ts",
         "cancelled_at": "ts", "financial_status": "enum", "source_name": "enum", "subtotal_price": "major",
         "total_discounts": "major", "total_price": "major", "currency": "cur"},
        {"financial_status": ("paid", "partially_refunded", "refunded", "voided", "pending"),
         "source_name": ("web", "subscription_contract", "post_purchase", "sms")}, fx=("currency", "created_at")))
_add(_t("shop", "order_lines", "id order_id sku product_type quantity price is_subscription offer_type", "id",
        "offer_type",
        {"id": "id", "order_id": "id", "quantity": "int", "price": "major", "is_subscription": "bool",
         "offer_type": "enum"},
        {"offer_type": ("upsell", "cross_sell")}))
_add(_t("shop", "refunds", "id order_id amount created_at", "id", "",
        {"id": "id", "order_id": "id", "amount": "major", "created_at": "ts"}))
_add(_t("support", "tickets",
        "id requester_email subject tags priority status satisfaction created_at updated_at solved_at", "id",
        "requester_email subject priority satisfaction solved_at",
        {"id": "id", "requester_email": "email", "tags": "lower", "priority": "lower", "status": "enum",
         "satisfaction": "enum", "created_at": "ts", "updated_at": "ts", "solved_at": "ts"},
        {"status": ("new", "open", "pending", "solved", "closed"),
         "satisfaction": ("good", "bad", "offered", "unoffered")}, dedupe_updated_at="updated_at"))
_add(_t("messaging", "events",
        "event_id message_id channel recipient flow trigger_ref automated event_type occurred_at", "event_id",
        "flow trigger_ref",
        {"event_id": "id", "message_id": "id", "channel": "enum", "recipient": "text", "flow": "enum",
         "trigger_ref": "id", "automated": "bool", "event_type": "enum", "occurred_at": "ts"},
        {"channel": ("sms", "email"), "flow": FLOWS,
         "event_type": ("sent", "delivered", "clicked", "converted", "opted_out", "failed")}))

assert len(TABLES) == 16
