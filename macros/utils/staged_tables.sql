{#-
    The registry of raw tables and their staging models (rule D0). The quarantine model and
    the row reconciliation iterate over it, so a new raw table is added here once.
    Each entry: system, raw table, base model (every raw row, parsed, with
    `quarantine_reason`), staging model (usable, de-duplicated rows), its key column.
-#}
{% macro staged_tables() %}
    {{ return([
        {'system': 'billing', 'table': 'customers', 'key': 'customer_id'},
        {'system': 'billing', 'table': 'plans', 'key': 'plan_id'},
        {'system': 'billing', 'table': 'subscriptions', 'key': 'subscription_id'},
        {'system': 'billing', 'table': 'subscription_events', 'key': 'subscription_event_id'},
        {'system': 'billing', 'table': 'invoices', 'key': 'invoice_id'},
        {'system': 'processor_a', 'table': 'charges', 'key': 'charge_id'},
        {'system': 'processor_a', 'table': 'refunds', 'key': 'refund_id'},
        {'system': 'processor_a', 'table': 'disputes', 'key': 'dispute_id'},
        {'system': 'processor_a', 'table': 'payment_method_updates', 'key': 'payment_method_update_id'},
        {'system': 'processor_b', 'table': 'transactions', 'key': 'transaction_id'},
        {'system': 'crm', 'table': 'contacts', 'key': 'contact_id'},
        {'system': 'shop', 'table': 'orders', 'key': 'order_id'},
        {'system': 'shop', 'table': 'order_lines', 'key': 'order_line_id'},
        {'system': 'shop', 'table': 'refunds', 'key': 'shop_refund_id'},
        {'system': 'support', 'table': 'tickets', 'key': 'ticket_id'},
        {'system': 'messaging', 'table': 'events', 'key': 'message_event_id'},
    ]) }}
{% endmacro %}
