{#-
    Rule D5: monthly net and gross revenue retention and revenue churn, for the whole base
    (segment_type = 'all') and by value segment, product line and acquisition channel.
    Starting MRR, expansion and churned revenue are summed over the accounts with start > 0
    (the NRR base); new, reactivation, FX impact and ending MRR over all accounts, shown beside.
    Percentages come from sums of the accounts' rounded values and are NULL when start = 0.
    Grain: one row per month and segment. Primary key: (period_start, segment_type, segment).
-#}
{{ retention_by_segment('month') }}
