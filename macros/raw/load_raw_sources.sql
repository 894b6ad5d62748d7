{#-
    Registers every raw table of the landing contract as a relation `raw_<system>.<table>`
    reading the files under var('raw_data_dir'):

        <raw_data_dir>/<system>/<table>.parquet
        <raw_data_dir>/<system>/<table>/*.parquet      (a large table split into parts)
        <raw_data_dir>/<system>/<table>.csv

    Every column is exposed as text (CSV is read all-varchar, Parquet columns are cast), so
    typing happens once, in staging, whatever the file format guessed.

    Which tables exist is read from the sources YAML: every source with `meta.raw_system`
    is loaded. Before any model runs this checks that each raw table is present and carries
    every contract column declared for it; otherwise the build stops with an error naming
    the table and the missing column(s). Extra columns are allowed and ignored by staging.

    Runs as an `on-run-start` hook. Engines whose raw tables are loaded by an ELT tool set
    var('load_raw_files', false) to only check the columns.
-#}
{% macro load_raw_sources() %}
    {{ return(adapter.dispatch('load_raw_sources', 'account_kpis')()) }}
{% endmacro %}

{% macro default__load_raw_sources() %}
    {%- if execute -%}
        {%- set problems = [] -%}
        {%- for src in account_kpis.raw_source_nodes() -%}
            {%- if var('load_raw_files', true) -%}
                {%- do account_kpis.register_raw_table(src) -%}
            {%- endif -%}
            {%- do problems.extend(account_kpis.raw_contract_problems(src)) -%}
        {%- endfor -%}
        {#- The hook renders outside dbt's own transactions: make the new views visible to every thread. -#}
        {%- do run_query('commit') -%}
        {%- if problems | length > 0 -%}
            {%- do exceptions.raise_compiler_error(
                "Raw input does not match the landing contract (raw_data_dir='"
                ~ var('raw_data_dir') ~ "'):\n  - " ~ (problems | join("\n  - "))
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#- The source nodes that describe raw landing tables, in a stable order. -#}
{% macro raw_source_nodes() %}
    {%- set nodes = [] -%}
    {%- for src in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- if src.source_meta.get('raw_system') -%}
            {%- do nodes.append(src) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(nodes) }}
{% endmacro %}


{#- Contract problems of one raw table: missing relation or missing declared columns. -#}
{% macro raw_contract_problems(src) %}
    {%- set label = src.source_meta.get('raw_system') ~ '/' ~ src.name -%}
    {%- set relation = api.Relation.create(
        database=src.database, schema=src.schema, identifier=src.identifier) -%}
    {%- set present = [] -%}
    {%- for col in adapter.get_columns_in_relation(relation) -%}
        {%- do present.append(col.name | lower) -%}
    {%- endfor -%}
    {%- if present | length == 0 -%}
        {{ return(['raw table ' ~ label ~ ' does not exist (or has no columns) as ' ~ src.schema ~ '.' ~ src.identifier]) }}
    {%- endif -%}
    {%- set missing = [] -%}
    {%- for name in src.columns.keys() | list -%}
        {%- if (name | lower) not in present -%}
            {%- do missing.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ return(['raw table ' ~ label ~ ' is missing contract column(s): ' ~ (missing | join(', '))]) }}
    {%- endif -%}
    {{ return([]) }}
{% endmacro %}


{#- Create (or replace) the relation of one raw table over its files. -#}
{% macro register_raw_table(src) %}
    {{ return(adapter.dispatch('register_raw_table', 'account_kpis')(src)) }}
{% endmacro %}

{% macro default__register_raw_table(src) %}
    {#- Other engines read raw tables that an ELT tool loaded: nothing to register. -#}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__register_raw_table(src) %}
    {%- set system = src.source_meta.get('raw_system') -%}
    {%- set raw_dir = (var('raw_data_dir') | string).rstrip('/') -%}
    {%- set base = (raw_dir ~ '/' ~ system ~ '/' ~ src.name) | replace("'", "''") -%}
    {%- set probe -%}
        select 'parquet' as kind from glob('{{ base }}.parquet')
        union all
        select 'parts' as kind from (select file from glob('{{ base }}/*.parquet') limit 1) as parts
        union all
        select 'csv' as kind from glob('{{ base }}.csv')
    {%- endset -%}
    {%- set kinds = run_query(probe).columns[0].values() | list -%}
    {%- if kinds | length == 0 -%}
        {%- do exceptions.raise_compiler_error(
            "Raw table " ~ system ~ "/" ~ src.name ~ " not found: expected " ~ base ~ ".csv, "
            ~ base ~ ".parquet or " ~ base ~ "/*.parquet (raw_data_dir='" ~ raw_dir ~ "')") -%}
    {%- elif kinds | length > 1 -%}
        {%- do exceptions.raise_compiler_error(
            "Raw table " ~ system ~ "/" ~ src.name ~ " is ambiguous: found " ~ (kinds | join(' and '))
            ~ " under " ~ base ~ "; keep exactly one") -%}
    {%- endif -%}
    {%- if kinds[0] == 'csv' -%}
        {%- set reader -%}
            select * from read_csv('{{ base }}.csv', all_varchar = true, header = true,
                delim = ',', quote = '"', escape = '"')
        {%- endset -%}
    {%- elif kinds[0] == 'parquet' -%}
        {%- set reader = "select columns(*)::varchar from read_parquet('" ~ base ~ ".parquet')" -%}
    {%- else -%}
        {%- set reader = "select columns(*)::varchar from read_parquet('" ~ base
            ~ "/*.parquet', union_by_name = true)" -%}
    {%- endif -%}
    {%- call statement('register_raw_' ~ system ~ '_' ~ src.name) -%}
        create schema if not exists {{ src.schema }};
        create or replace view {{ src.schema }}.{{ src.identifier }} as {{ reader }};
    {%- endcall -%}
    {{ return('') }}
{% endmacro %}
