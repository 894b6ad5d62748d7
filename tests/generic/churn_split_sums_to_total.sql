{#-
    Generic test (rule D5, revenue churn split): fails with every row where
    - voluntary + involuntary churned revenue (USD) differs from the total, to the cent; or
    - voluntary % + involuntary % differs from revenue churn % by more than `pct_tolerance`
      (each percentage is rounded on its own, so 0.01 is the most they may drift); or
    - the percentages are NULL on some of the three columns and not on the others.
-#}
{% test churn_split_sums_to_total(
    model,
    voluntary_usd_column='churned_revenue_voluntary_usd',
    involuntary_usd_column='churned_revenue_involuntary_usd',
    total_usd_column='churned_revenue_usd',
    voluntary_pct_column='voluntary_churn_pct',
    involuntary_pct_column='involuntary_churn_pct',
    total_pct_column='revenue_churn_pct',
    pct_tolerance=0.01
) %}

select *
from {{ model }}
where
    not coalesce({{ voluntary_usd_column }} + {{ involuntary_usd_column }} = {{ total_usd_column }}, false)
    or ({{ total_pct_column }} is null) <> ({{ voluntary_pct_column }} is null)
    or ({{ total_pct_column }} is null) <> ({{ involuntary_pct_column }} is null)
    or abs({{ voluntary_pct_column }} + {{ involuntary_pct_column }} - {{ total_pct_column }}) > {{ pct_tolerance }}

{% endtest %}
