"""The raw landing contract (declared for dbt in models/staging/*/_*__sources.yml) as data:
exact column names and landing type families per table, plus what each defect
class may touch in that table."""
from __future__ import annotations

import pyarrow as pa

T, I, BOOL, NUM = "text", "int", "bool", "numeric"
ARROW = {T: pa.string(), I: pa.int64(), BOOL: pa.bool_(), NUM: pa.float64()}

TABLES: dict[str, list[tuple[str, str]]] = {
    "billing/customers": [("id", T), ("email", T), ("crm_contact_id", T), ("currency", T), ("created_at", T),
                          ("deleted", BOOL)],
    "billing/plans": [("id", T), ("name", T), ("product_line", T), ("interval", T), ("interval_count", I),
                      ("unit_amount", I), ("currency", T), ("active", BOOL)],
    "billing/subscriptions": [("id", T), ("customer_id", T), ("plan_id", T), ("quantity", I), ("discount_pct", NUM),
                              ("status", T), ("created_at", T), ("trial_end", T), ("current_period_start", T),
                              ("current_period_end", T), ("canceled_at", T), ("cancellation_reason", T),
                              ("cancellation_source", T), ("pause_start", T), ("pause_end", T), ("updated_at", T)],
    "billing/subscription_events": [("id", T), ("subscription_id", T), ("type", T), ("occurred_at", T),
                                    ("previous_plan_id", T), ("plan_id", T), ("previous_quantity", I),
                                    ("quantity", I), ("reason", T)],
    "billing/invoices": [("id", T), ("subscription_id", T), ("customer_id", T), ("billing_reason", T),
                         ("period_start", T), ("period_end", T), ("subtotal", I), ("discount", I), ("tax", I),
                         ("total", I), ("currency", T), ("status", T), ("attempt_count", I), ("created_at", T),
                         ("paid_at", T)],
    "processor_a/charges": [("id", T), ("invoice", T), ("order_ref", T), ("customer", T), ("amount", I),
                            ("currency", T), ("status", T), ("failure_code", T), ("outcome_type", T), ("attempt", I),
                            ("payment_method_fingerprint", T), ("created", I)],
    "processor_a/refunds": [("id", T), ("charge", T), ("amount", I), ("reason", T), ("created", I)],
    "processor_a/disputes": [("id", T), ("charge", T), ("amount", I), ("reason", T), ("status", T), ("created", I)],
    "processor_a/payment_method_updates": [("id", T), ("customer", T), ("source", T), ("created", I)],
    "processor_b/transactions": [("transaction_id", T), ("type", T), ("response", T), ("response_code", T),
                                 ("response_text", T), ("amount", T), ("currency", T), ("time", T), ("order_id", T),
                                 ("customer_vault_id", T), ("original_transaction_id", T)],
    "crm/contacts": [("contact_id", T), ("email", T), ("phone", T), ("first_name", T), ("last_name", T),
                     ("billing_customer_id", T), ("lifecycle_stage", T), ("acquisition_channel", T), ("country", T),
                     ("created_at", T), ("updated_at", T), ("is_deleted", BOOL)],
    "shop/orders": [("id", T), ("name", T), ("email", T), ("billing_customer_id", T), ("created_at", T),
                    ("cancelled_at", T), ("financial_status", T), ("source_name", T), ("subtotal_price", T),
                    ("total_discounts", T), ("total_price", T), ("currency", T)],
    "shop/order_lines": [("id", T), ("order_id", T), ("sku", T), ("product_type", T), ("quantity", I),
                         ("price", T), ("is_subscription", BOOL), ("offer_type", T)],
    "shop/refunds": [("id", T), ("order_id", T), ("amount", T), ("created_at", T)],
    "support/tickets": [("id", I), ("requester_email", T), ("subject", T), ("tags", T), ("priority", T),
                        ("status", T), ("satisfaction", T), ("created_at", T), ("updated_at", T), ("solved_at", T)],
    "messaging/events": [("event_id", T), ("message_id", T), ("channel", T), ("recipient", T), ("flow", T),
                         ("trigger_ref", T), ("automated", BOOL), ("event_type", T), ("occurred_at", T)],
}

# native timestamp text style per system
TIME_STYLE = {"billing": "iso_offset", "crm": "iso_z", "shop": "iso_local", "support": "iso_z",
              "messaging": "iso_offset", "processor_b": "compact"}
SHOP_OFFSET_MIN = -300  # the shop exports local wall time of its store (UTC-05:00)


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(c, ARROW[t]) for c, t in TABLES[table]])


class Meta:
    """What the defect classes may touch in a table."""

    def __init__(self, pk, pk_kind, fks=(), enums=None, case=(), currency=None, currency_lower=False,
                 updated_at=None, change_col=None, demote=None, event=False, emails=()):
        self.pk = pk
        self.pk_kind = pk_kind            # ("b62", prefix) | ("digits"|"int", (num_id entity, orphan kind))
        self.fks = list(fks)              # [(column, unknown-value kind)]
        self.enums = enums or {}          # column -> unknown values (for class 6)
        self.case = list(case)            # enum-like columns for class 4
        self.emails = list(emails)        # email / recipient columns for class 4
        self.currency = currency
        self.currency_lower = currency_lower
        self.updated_at = updated_at
        self.change_col = change_col
        self.demote = demote              # (status column, less-final value, column to null)
        self.event = event


META = {
    "billing/customers": Meta("id", ("b62", "cus_"), fks=[("crm_contact_id", "contact")], case=["currency"],
                              currency="currency", emails=["email"]),
    "billing/plans": Meta("id", ("b62", "plan_"), case=["interval", "currency"]),
    "billing/subscriptions": Meta("id", ("b62", "sub_"), fks=[("customer_id", "cus")],
                                  enums={"status": ["on_hold", "incomplete_expired"],
                                         "cancellation_source": ["chargeback", "system"]},
                                  case=["status", "cancellation_source"], updated_at="updated_at",
                                  change_col="status"),
    "billing/subscription_events": Meta("id", ("b62", "evt_"), fks=[("subscription_id", "sub")],
                                        enums={"type": ["trial_extended", "pause_scheduled"], "reason": ["admin"]},
                                        case=["type", "reason"], event=True),
    "billing/invoices": Meta("id", ("b62", "in_"), fks=[("subscription_id", "sub"), ("customer_id", "cus")],
                             enums={"billing_reason": ["subscription_threshold"], "status": ["processing"]},
                             case=["billing_reason", "status", "currency"], currency="currency",
                             demote=("status", "open", "paid_at")),
    "processor_a/charges": Meta("id", ("b62", "ch_"), fks=[("invoice", "inv"), ("invoice", "inv"), ("customer", "cus"),
                                                          ("order_ref", "order")],
                                enums={"status": ["requires_action"], "outcome_type": ["manual_review"],
                                       "failure_code": ["card_velocity_exceeded", "authentication_required"]},
                                case=["status", "outcome_type", "failure_code", "currency"], currency="currency",
                                currency_lower=True, demote=("status", "pending", None)),
    "processor_a/refunds": Meta("id", ("b62", "re_"), fks=[("charge", "charge")],
                                enums={"reason": ["expired_uncaptured_charge"]}, case=["reason"]),
    "processor_a/disputes": Meta("id", ("b62", "dp_"), fks=[("charge", "charge")],
                                 enums={"status": ["warning_needs_response", "under_review"]},
                                 case=["status", "reason"]),
    "processor_a/payment_method_updates": Meta("id", ("b62", "pmu_"), fks=[("customer", "cus")],
                                               enums={"source": ["network_token"]}, case=["source"]),
    "processor_b/transactions": Meta("transaction_id", ("digits", ("btxn", 3)),
                                     fks=[("order_id", "inv_sans"), ("original_transaction_id", "btxn"),
                                          ("customer_vault_id", "cus")],
                                     enums={"type": ["auth", "void"], "response": ["4"], "response_code": ["999"]},
                                     case=["type", "currency"], currency="currency"),
    "crm/contacts": Meta("contact_id", ("digits", ("contact_orphan", 1)), fks=[("billing_customer_id", "cus")],
                         enums={"lifecycle_stage": ["partner"]}, case=["lifecycle_stage", "acquisition_channel"],
                         updated_at="updated_at", change_col="lifecycle_stage", emails=["email"]),
    "shop/orders": Meta("id", ("digits", ("order", 1)), fks=[("billing_customer_id", "cus")],
                        enums={"financial_status": ["authorized"], "source_name": ["pos"]},
                        case=["financial_status", "source_name", "currency"], currency="currency",
                        emails=["email"]),
    "shop/order_lines": Meta("id", ("digits", ("line", 1)), fks=[("order_id", "order")],
                             enums={"offer_type": ["bundle"]}, case=["offer_type", "product_type"]),
    "shop/refunds": Meta("id", ("digits", ("shop_refund", 1)), fks=[("order_id", "order")]),
    "support/tickets": Meta("id", ("int", ("ticket", 1)), fks=[("requester_email", "email")],
                            enums={"status": ["hold"], "satisfaction": ["neutral"]},
                            case=["status", "satisfaction", "priority", "tags"], updated_at="updated_at",
                            change_col="status", emails=["requester_email"]),
    "messaging/events": Meta("event_id", ("b62", "ev_"), fks=[("recipient", "recipient"), ("trigger_ref", "charge")],
                             enums={"event_type": ["bounced", "spam_complaint"], "channel": ["push"],
                                    "flow": ["browse_abandonment"]},
                             case=["channel", "event_type", "flow"], event=True, emails=["recipient"]),
}
TABLE_INDEX = {t: i for i, t in enumerate(TABLES)}
