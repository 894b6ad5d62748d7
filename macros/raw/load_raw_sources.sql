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


{#- raw_data_dir as an absolute path: relative paths resolve against the directory dbt runs in
    ($PWD), as on DuckDB. Engines that read the files in another process need this. -#}
{% macro raw_data_dir_absolute() %}
    {%- set raw_dir = (var('raw_data_dir') | string).rstrip('/') -%}
    {%- if raw_dir.startswith('/') -%}
        {{ return(raw_dir) }}
    {%- endif -%}
    {%- set cwd = env_var('PWD', '') -%}
    {%- if cwd == '' -%}
        {%- do exceptions.raise_compiler_error(
            "raw_data_dir '" ~ raw_dir ~ "' is relative and $PWD is unset: pass an absolute raw_data_dir") -%}
    {%- endif -%}
    {%- set raw_dir = raw_dir[2:] if raw_dir.startswith('./') else raw_dir -%}
    {{ return(cwd.rstrip('/') ~ '/' ~ raw_dir) }}
{% endmacro %}


{#- The column names of a CSV header line, lower-cased (quotes around a name removed). -#}
{% macro csv_header_columns(header_line) %}
    {%- set names = [] -%}
    {%- for raw_name in header_line.strip().split(',') -%}
        {%- do names.append(raw_name.strip().strip('"').strip().lower()) -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}


{#-
    PostgreSQL: a table of text columns named after the CSV header, filled by a server-side
    COPY ... FORMAT csv. The server reads the file itself, so it must run on this machine (or
    see the same path) and the user must be a superuser or hold pg_read_server_files;
    scripts/run_engine.py starts such a server. Empty fields load as null whether quoted ("")
    or not (FORCE_NULL), as DuckDB's CSV reader does. Parquet raw files are not
    supported here (convert them to CSV, or load the tables with an ELT tool and set
    var('load_raw_files', false)).
-#}
{% macro postgres__register_raw_table(src) %}
    {%- set system = src.source_meta.get('raw_system') -%}
    {%- set base = account_kpis.raw_data_dir_absolute() ~ '/' ~ system ~ '/' ~ src.name -%}
    {%- set quoted_base = base | replace("'", "''") -%}
    {%- set probe -%}
        select
            (pg_stat_file('{{ quoted_base }}.csv', true)).size is not null as has_csv,
            (pg_stat_file('{{ quoted_base }}.parquet', true)).size is not null
                or (pg_stat_file('{{ quoted_base }}', true)).size is not null as has_parquet,
            split_part(coalesce(pg_read_file('{{ quoted_base }}.csv', 0, 1048576, true), ''), chr(10), 1) as header_line
    {%- endset -%}
    {%- set found = run_query(probe).rows[0] -%}
    {%- if not found[0] -%}
        {%- if found[1] -%}
            {%- do exceptions.raise_compiler_error(
                "Raw table " ~ system ~ "/" ~ src.name ~ ": the postgres target reads CSV raw files only, found Parquet under "
                ~ base ~ " (convert it to " ~ base ~ ".csv)") -%}
        {%- endif -%}
        {%- do exceptions.raise_compiler_error(
            "Raw table " ~ system ~ "/" ~ src.name ~ " not found: expected " ~ base ~ ".csv (raw_data_dir='"
            ~ var('raw_data_dir') ~ "')") -%}
    {%- endif -%}
    {%- set columns = account_kpis.csv_header_columns(found[2]) -%}
    {%- call statement('register_raw_' ~ system ~ '_' ~ src.name) -%}
        create schema if not exists {{ src.schema }};
        drop table if exists {{ src.schema }}.{{ src.identifier }} cascade;
        create table {{ src.schema }}.{{ src.identifier }} (
            {%- for name in columns %}
            {{ adapter.quote(name) }} text{% if not loop.last %},{% endif %}
            {%- endfor %}
        );
        copy {{ src.schema }}.{{ src.identifier }} from '{{ quoted_base }}.csv'
            with (format csv, header true, delimiter ',', quote '"', escape '"', encoding 'UTF8',
                force_null ({% for name in columns %}{{ adapter.quote(name) }}{% if not loop.last %}, {% endif %}{% endfor %}));
        analyze {{ src.schema }}.{{ src.identifier }};
    {%- endcall -%}
    {{ return('') }}
{% endmacro %}


{#- PostgreSQL: the default (register each raw table, check the contract, commit). -#}
{% macro postgres__load_raw_sources() %}
    {{ return(account_kpis.default__load_raw_sources()) }}
{% endmacro %}


{#- Spark: the same as the default without the closing `commit` (Spark SQL has no
    transactions); the raw directory is listed once for all tables. -#}
{% macro spark__load_raw_sources() %}
    {%- if execute -%}
        {%- set problems = [] -%}
        {%- set files = account_kpis.spark_list_raw_files() if var('load_raw_files', true) else [] -%}
        {%- for src in account_kpis.raw_source_nodes() -%}
            {%- if var('load_raw_files', true) -%}
                {%- do account_kpis.spark_register_raw_table(src, files) -%}
            {%- endif -%}
            {%- do problems.extend(account_kpis.raw_contract_problems(src)) -%}
        {%- endfor -%}
        {%- if problems | length > 0 -%}
            {%- do exceptions.raise_compiler_error(
                "Raw input does not match the landing contract (raw_data_dir='"
                ~ var('raw_data_dir') ~ "'):\n  - " ~ (problems | join("\n  - "))
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#- Every file under raw_data_dir (paths as Spark writes them, file:/...), listed with the
    binaryFile source: names only, no contents read. -#}
{% macro spark_list_raw_files() %}
    {%- set raw_dir = account_kpis.raw_data_dir_absolute() -%}
    {%- call statement('list_raw_files') -%}
        create or replace temporary view account_kpis_raw_files
        using binaryFile options (path '{{ raw_dir }}', recursiveFileLookup 'true')
    {%- endcall -%}
    {%- set result = run_query('select path from account_kpis_raw_files') -%}
    {{ return(result.columns[0].values() | list) }}
{% endmacro %}


{% macro spark__register_raw_table(src) %}
    {{ return(account_kpis.spark_register_raw_table(src, account_kpis.spark_list_raw_files())) }}
{% endmacro %}


{#-
    Spark: an unmanaged table over the raw file(s) in the metastore database raw_<system>,
    every column a string: CSV with inferSchema off (column names from the header, quotes
    and doubled-quote escapes as in RFC 4180, fields may span lines); Parquet through a view
    that casts every column to string. `files` lists the paths under raw_data_dir.
-#}
{% macro spark_register_raw_table(src, files) %}
    {%- set system = src.source_meta.get('raw_system') -%}
    {%- set base = account_kpis.raw_data_dir_absolute() ~ '/' ~ system ~ '/' ~ src.name -%}
    {%- set kinds = [] -%}
    {%- for path in files -%}
        {%- set local = path[5:] if path.startswith('file:') else path -%}
        {%- set local = '/' ~ local.lstrip('/') -%}
        {%- if local == base ~ '.csv' and 'csv' not in kinds -%}
            {%- do kinds.append('csv') -%}
        {%- elif local == base ~ '.parquet' and 'parquet' not in kinds -%}
            {%- do kinds.append('parquet') -%}
        {%- elif local.startswith(base ~ '/') and local.endswith('.parquet') and '/' not in local[(base | length) + 1:]
                and 'parts' not in kinds -%}
            {%- do kinds.append('parts') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if kinds | length == 0 -%}
        {%- do exceptions.raise_compiler_error(
            "Raw table " ~ system ~ "/" ~ src.name ~ " not found: expected " ~ base ~ ".csv, "
            ~ base ~ ".parquet or " ~ base ~ "/*.parquet (raw_data_dir='" ~ var('raw_data_dir') ~ "')") -%}
    {%- elif kinds | length > 1 -%}
        {%- do exceptions.raise_compiler_error(
            "Raw table " ~ system ~ "/" ~ src.name ~ " is ambiguous: found " ~ (kinds | join(' and '))
            ~ " under " ~ base ~ "; keep exactly one") -%}
    {%- endif -%}
    {%- set target = src.schema ~ '.' ~ src.identifier -%}
    {%- call statement('register_raw_' ~ system ~ '_' ~ src.name ~ '_schema') -%}
        create database if not exists {{ src.schema }}
    {%- endcall -%}
    {%- do account_kpis.spark_drop_raw_relation(src.schema, src.identifier) -%}
    {%- if kinds[0] == 'csv' -%}
        {%- call statement('register_raw_' ~ system ~ '_' ~ src.name) -%}
            create table {{ target }}
            using csv
            options (
                path '{{ base }}.csv',
                header 'true',
                inferSchema 'false',
                sep ',',
                quote '"',
                escape '"',
                multiLine 'true',
                mode 'PERMISSIVE'
            )
        {%- endcall -%}
    {%- else -%}
        {%- set files_path = base ~ ('.parquet' if kinds[0] == 'parquet' else '') -%}
        {%- set typed = src.schema ~ '.`' ~ src.identifier ~ '__parquet`' -%}
        {%- do account_kpis.spark_drop_raw_relation(src.schema, src.identifier ~ '__parquet') -%}
        {%- call statement('register_raw_' ~ system ~ '_' ~ src.name ~ '_parquet') -%}
            create table {{ typed }} using parquet options (path '{{ files_path }}', mergeSchema 'true')
        {%- endcall -%}
        {%- set cols = run_query('select * from ' ~ typed ~ ' limit 0').column_names -%}
        {%- call statement('register_raw_' ~ system ~ '_' ~ src.name) -%}
            create or replace view {{ target }} as
            select
                {%- for col in cols %}
                cast(`{{ col }}` as string) as `{{ col | lower }}`{% if not loop.last %},{% endif %}
                {%- endfor %}
            from {{ typed }}
        {%- endcall -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}


{#- Drop a raw relation whatever it is (table or view): Spark refuses DROP TABLE on a view. -#}
{% macro spark_drop_raw_relation(schema, identifier) %}
    {%- set existing = run_query("show tables in " ~ schema ~ " like '" ~ identifier ~ "'") -%}
    {%- if existing.rows | length > 0 -%}
        {%- set relation_kind = run_query("describe table extended " ~ schema ~ ".`" ~ identifier ~ "`") -%}
        {%- set is_view = [] -%}
        {%- for row in relation_kind.rows -%}
            {%- if row[0] == 'Type' and (row[1] | upper) == 'VIEW' -%}{%- do is_view.append(1) -%}{%- endif -%}
        {%- endfor -%}
        {%- call statement('drop_raw_' ~ schema ~ '_' ~ identifier) -%}
            drop {{ 'view' if is_view else 'table' }} if exists {{ schema }}.`{{ identifier }}`
        {%- endcall -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
