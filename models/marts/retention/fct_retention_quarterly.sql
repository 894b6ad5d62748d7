{#-
    Rule D5: quarterly net and gross revenue retention and revenue churn, for the whole base
    (segment_type = 'all') and by value segment, product line and acquisition channel.
    Starting MRR, expansion and churned revenue are summed over the accounts with start > 0
    (the NRR base); new, reactivation, FX impact and ending MRR over all accounts, shown beside.
    Percentages come from sums of the accounts' rounded values and are NULL when start = 0.
    A quarter is measured from its own start MRR (end of the month before it) and end MRR (end
    of its last month), never by adding months, so an account that churns and returns inside
    the quarter nets out; only quarters whose three months are all reported appear.
    Grain: one row per quarter and segment. Primary key: (period_start, segment_type, segment).
-#}
{{ retention_by_segment('quarter') }}
