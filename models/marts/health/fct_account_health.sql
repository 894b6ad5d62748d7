{#-
    Rule D8: the health snapshot at as_of, one row per scored account.
    Grain: one row per account. Primary key: account_id.
-#}
{{ account_health_at('as_of') }}
