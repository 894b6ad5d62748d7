{#-
    Spark rejects `varchar` without a length ("DATATYPE_MISSING_SIZE") and `text`. The
    project's YAML declares `varchar` (contract data_type of the marts, seed column_types),
    which DuckDB and PostgreSQL read as unbounded text; on Spark these become `string`.
    These override dbt's own Spark implementations (a root-project macro named
    `spark__<name>` wins over the adapter's in adapter.dispatch), so the other engines are
    untouched.
-#}
{% macro spark_portable_type(data_type) %}
    {%- set normalized = (data_type | string | trim | lower) -%}
    {%- if normalized in ['varchar', 'text', 'character varying', 'char', 'character', 'bpchar', 'nvarchar'] -%}
        {{ return('string') }}
    {%- endif -%}
    {{ return(data_type) }}
{% endmacro %}

{#- dbt.cast (used by contracts to build the declared column types) with Spark type names. -#}
{% macro spark__cast(field, type) %}
    {{ return(dbt.default__cast(field, account_kpis.spark_portable_type(type))) }}
{% endmacro %}

{#- Seeds: translate the configured column_types in place, then dbt-spark's own seed macros. -#}
{% macro spark_portable_column_types(model) %}
    {%- set column_types = model['config'].get('column_types', {}) -%}
    {%- for name in column_types.keys() | list -%}
        {%- do column_types.update({name: account_kpis.spark_portable_type(column_types[name])}) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- do account_kpis.spark_portable_column_types(model) -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{% endmacro %}

{#-
    Seed rows as SQL literals. dbt-spark's own version binds the values, and its session
    connection pastes a bound string between quotes without escaping it, so a seed value with
    an apostrophe ("the account's owner") breaks the INSERT. Here strings are escaped for
    Spark string literals (backslash and quote) and numbers are written as they are in the CSV.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- do account_kpis.spark_portable_column_types(model) -%}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- set value = row[loop.index0] -%}
                    cast({{ account_kpis.spark_sql_literal(value) }} as {{ type }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}

{#- A Python value from a seed (agate) as a Spark SQL literal. -#}
{% macro spark_sql_literal(value) %}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true -%}
        {{ return('true') }}
    {%- elif value is sameas false -%}
        {{ return('false') }}
    {%- elif value is number -%}
        {{ return("'" ~ value ~ "'") }}
    {%- else -%}
        {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
    {%- endif -%}
{% endmacro %}

{#-
    dbt.listagg on Spark ignores order_by_clause (collect_list has no order). Here the values
    are sorted by the ORDER BY expression (ascending or descending, then by the value) so the
    result is the same string as on the other engines.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set collected = 'collect_list(' ~ measure ~ ')' -%}
    {%- if order_by_clause -%}
        {%- set match = modules.re.match('^\\s*order\\s+by\\s+(.+?)(\\s+(asc|desc))?\\s*$', order_by_clause, modules.re.IGNORECASE) -%}
        {%- if not match or ',' in match.group(1) -%}
            {%- do exceptions.raise_compiler_error("spark__listagg: only 'order by <expression> [asc|desc]' is supported, got: " ~ order_by_clause) -%}
        {%- endif -%}
        {%- set sorted -%}
            transform(
                array_sort(collect_list(named_struct('k', {{ match.group(1) }}, 'v', {{ measure }}))),
                x -> x.v)
        {%- endset -%}
        {%- set collected = ('reverse(' ~ sorted ~ ')') if (match.group(3) or '') | lower == 'desc' else sorted -%}
    {%- endif -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}
