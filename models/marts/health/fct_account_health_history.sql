{#-
    Rule D8: health at each reported month end, one row per scored account and month.
    Grain: one row per account and month. Primary key: (account_id, month_start).
-#}
{{ account_health_at('month_end') }}
