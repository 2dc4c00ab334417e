-- woocommerce_fdw 1.2, issue 12 part 1: mappings name any source or target.
--
-- An export mapping reads a relation (table, view, materialized view) the
-- exporting role can read, by a key column, with a SQL expression per
-- WooCommerce field; an import mapping writes a table, by a key column,
-- with a SQL expression per column over `p`, the store's product as jsonb
-- (context=edit). Expressions are checked when a mapping is saved (by the
-- functions or by plain INSERT/UPDATE: a trigger) and always run with the
-- privileges of the role that runs the sync: nothing here is SECURITY
-- DEFINER, and row-level security on a source applies.
-- Sync state (product_sync) is keyed by connection, source and key (text);
-- rows of woocommerce.product keep their product_id.

-- Mappings and connections -----------------------------------------------------------

ALTER TABLE woocommerce.export_mapping
    ADD COLUMN source regclass NOT NULL DEFAULT 'woocommerce.product'::regclass,
    ADD COLUMN key_column text NOT NULL DEFAULT 'id',
    ADD COLUMN field_expressions jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN parent_key_column text;

COMMENT ON COLUMN woocommerce.export_mapping.source IS
'The relation an export reads (table, view or materialized view; default woocommerce.product)';
COMMENT ON COLUMN woocommerce.export_mapping.key_column IS
'The source column that identifies a row (unique, not null; compared as text)';
COMMENT ON COLUMN woocommerce.export_mapping.field_expressions IS
'WooCommerce field -> SQL expression over the source''s columns';
COMMENT ON COLUMN woocommerce.export_mapping.parent_key_column IS
'An expression giving a variation''s parent key (NULL for products); woocommerce.product: parent_id';

ALTER TABLE woocommerce.import_mapping
    ADD COLUMN target regclass NOT NULL DEFAULT 'woocommerce.product'::regclass,
    ADD COLUMN key_column text NOT NULL DEFAULT 'sku',
    ADD COLUMN column_expressions jsonb NOT NULL DEFAULT '{}';

COMMENT ON COLUMN woocommerce.import_mapping.target IS
'The table an import writes (default woocommerce.product)';
COMMENT ON COLUMN woocommerce.import_mapping.key_column IS
'The target column an imported product is matched by (default: its SKU); needs a unique index of its own';
COMMENT ON COLUMN woocommerce.import_mapping.column_expressions IS
'Target column -> SQL expression over p, the WooCommerce product as jsonb (context=edit)';

ALTER TABLE woocommerce.connection
    ADD COLUMN conflict_policy text NOT NULL DEFAULT 'pim_wins'
        CONSTRAINT connection_conflict_policy_check CHECK (conflict_policy IN ('pim_wins', 'store_wins', 'manual'));

COMMENT ON COLUMN woocommerce.connection.conflict_policy IS
'What an export does with a product changed on both sides since the last exchange: pim_wins, store_wins or manual';

-- Sync state by source and key -------------------------------------------------------

ALTER TABLE woocommerce.product_sync
    ADD COLUMN source regclass,
    ADD COLUMN key text,
    ADD COLUMN local_hash text,
    ADD COLUMN conflict jsonb;
UPDATE woocommerce.product_sync SET source = 'woocommerce.product'::regclass, key = product_id::text;
ALTER TABLE woocommerce.product_sync
    ALTER COLUMN source SET NOT NULL,
    ALTER COLUMN key SET NOT NULL,
    ALTER COLUMN product_id DROP NOT NULL,
    DROP CONSTRAINT product_sync_sync_status_check,
    ADD CONSTRAINT product_sync_sync_status_check CHECK (sync_status IN ('synced', 'pending', 'error', 'conflict')),
    ADD CONSTRAINT product_sync_connection_source_key_key UNIQUE (connection_id, source, key),
    ADD CONSTRAINT product_sync_product_key_check
        CHECK (product_id IS NULL OR (source = 'woocommerce.product'::regclass AND key = product_id::text)),
    ADD CONSTRAINT product_sync_conflict_check CHECK ((sync_status = 'conflict') = (conflict IS NOT NULL));

COMMENT ON COLUMN woocommerce.product_sync.source IS 'The relation of the local row (export source or import target)';
COMMENT ON COLUMN woocommerce.product_sync.key IS 'The local row''s key, as text';
COMMENT ON COLUMN woocommerce.product_sync.local_hash IS
'md5 of the values the last export computed for the row, when the store kept them: an equal hash needs no comparison';
COMMENT ON COLUMN woocommerce.product_sync.conflict IS
'A conflict an export found (policy manual): {"detected_at", "local": {...}, "store": {...}, "store_modified"}';

-- A row of woocommerce.product is keyed by its id; the hash of what was
-- last exported goes when anything else rewrites last_exchanged (an import).
CREATE FUNCTION woocommerce.product_sync_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.product_id IS NOT NULL THEN
        NEW.source := 'woocommerce.product'::regclass;
        NEW.key := NEW.product_id::text;
    END IF;
    -- Only a row in conflict keeps a conflict (an import that writes it
    -- resolves it for the store).
    IF NEW.sync_status <> 'conflict' THEN
        NEW.conflict := NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.local_hash IS NOT DISTINCT FROM OLD.local_hash
       AND (NEW.last_exchanged IS DISTINCT FROM OLD.last_exchanged OR NEW.woo_product_id IS DISTINCT FROM OLD.woo_product_id) THEN
        NEW.local_hash := NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER product_sync_before_write BEFORE INSERT OR UPDATE ON woocommerce.product_sync
    FOR EACH ROW EXECUTE FUNCTION woocommerce.product_sync_before_write();

-- The policy asks for the role's connections once per statement (a hashed
-- subplan) rather than per row; a row of another source than
-- woocommerce.product has no product to check.
DROP POLICY product_sync_owner ON woocommerce.product_sync;
CREATE POLICY product_sync_owner ON woocommerce.product_sync
    USING (connection_id IN (SELECT c.id FROM woocommerce.connection c WHERE pg_has_role(current_user, c.owner, 'MEMBER')))
    WITH CHECK (connection_id IN (SELECT c.id FROM woocommerce.connection c WHERE pg_has_role(current_user, c.owner, 'MEMBER'))
                AND (product_id IS NULL
                     OR EXISTS (SELECT 1 FROM woocommerce.product p
                                 WHERE p.id = product_id AND pg_has_role(current_user, p.owner, 'MEMBER'))));

-- Expressions -----------------------------------------------------------------------------

-- The type of an expression over `from_clause` (e.g. "public.items AS src"),
-- found without evaluating it (an empty side of an outer join); an error
-- names `what` and carries PostgreSQL's own message.
CREATE FUNCTION woocommerce._expression_type(from_clause text, expression text, what text)
RETURNS regtype
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    t regtype;
    msg text;
    code text;
BEGIN
    IF expression IS NULL OR btrim(expression) = '' THEN
        RAISE EXCEPTION 'empty expression for %', what USING ERRCODE = '22023';
    END IF;
    BEGIN
        EXECUTE format('SELECT pg_catalog.pg_typeof(v)::regtype FROM (SELECT (%s) AS v FROM %s WHERE false) x '
                       'RIGHT JOIN (SELECT) one ON true', expression, from_clause) INTO t;
    EXCEPTION WHEN OTHERS THEN
        -- PostgreSQL's own SQLSTATE (42703 unknown column, 42501 a table
        -- the role cannot read, ...), its message in the DETAIL.
        GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, code = RETURNED_SQLSTATE;
        RAISE EXCEPTION 'invalid expression for %: %', what, expression
            USING ERRCODE = CASE WHEN code LIKE 'XX%' THEN '22023' ELSE code END, DETAIL = msg,
                  HINT = 'An expression is SQL over the columns of the relation, e.g. title || '' '' || brand.';
    END;
    RETURN t;
END
$$;

-- Which SQL types suit a WooCommerce product field: NULL when `t` does,
-- else a description of what does.
CREATE FUNCTION woocommerce._field_type_needed(field text, json_type text, t regtype)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN field IN ('categories', 'tags', 'images') THEN
            CASE WHEN ty.typcategory = 'A' AND el.typcategory = 'S' THEN NULL ELSE 'text[]' END
        WHEN field IN ('attributes', 'meta_data', 'dimensions') THEN
            CASE WHEN t IN ('jsonb'::regtype, 'json'::regtype) THEN NULL ELSE 'jsonb' END
        WHEN field IN ('regular_price', 'sale_price', 'weight') OR json_type = 'number' THEN
            CASE WHEN ty.typcategory = 'N' THEN NULL ELSE 'numeric' END
        WHEN json_type = 'integer' THEN
            CASE WHEN t IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype) THEN NULL ELSE 'integer' END
        WHEN json_type = 'boolean' THEN
            CASE WHEN t = 'boolean'::regtype THEN NULL ELSE 'boolean' END
        WHEN json_type = 'date-time' THEN
            CASE WHEN ty.typcategory IN ('D', 'S') THEN NULL ELSE 'timestamptz (or text)' END
        WHEN json_type IN ('array', 'object') THEN
            CASE WHEN t IN ('jsonb'::regtype, 'json'::regtype) OR ty.typcategory = 'A' THEN NULL ELSE 'jsonb (or an array)' END
        ELSE
            CASE WHEN ty.typcategory IN ('S', 'E') THEN NULL ELSE 'text' END
    END
      FROM pg_catalog.pg_type ty LEFT JOIN pg_catalog.pg_type el ON el.oid = ty.typelem AND ty.typcategory = 'A'
     WHERE ty.oid = t
$$;

-- The expression that gives each WooCommerce field of `fields` its value
-- for a source: field_expressions first, then a field_mappings rename
-- (local column -> field), then the source's column of the same name.
-- expression is NULL when none exists.
CREATE FUNCTION woocommerce._export_expressions(source regclass, field_mappings jsonb, field_expressions jsonb,
                                                fields text[])
RETURNS TABLE (field text, expression text)
LANGUAGE sql STABLE
AS $$
    SELECT f, coalesce(field_expressions->>f,
                       (SELECT quote_ident(m.key) FROM jsonb_each_text(field_mappings) m WHERE m.value = f
                         ORDER BY m.key LIMIT 1),
                       (SELECT quote_ident(a.attname) FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = source AND a.attname = f AND a.attnum > 0 AND NOT a.attisdropped))
      FROM unnest(fields) WITH ORDINALITY AS u(f, o)
     ORDER BY o
$$;

-- The parent key expression of an export mapping (woocommerce.product:
-- parent_id), or NULL: the source has no variations.
CREATE FUNCTION woocommerce._parent_key_expression(m woocommerce.export_mapping)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(m.parent_key_column,
                    CASE WHEN coalesce(m.source, 'woocommerce.product'::regclass) = 'woocommerce.product'::regclass
                         THEN 'parent_id' END)
$$;

CREATE FUNCTION woocommerce._column_exists(relation regclass, column_name text)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = relation AND a.attname = column_name AND a.attnum > 0 AND NOT a.attisdropped)
$$;

-- Every rule of an export mapping that needs the source.
CREATE FUNCTION woocommerce._check_export_source(m woocommerce.export_mapping)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    kind "char";
    from_clause text;
    e record;
    t regtype;
    needed text;
    json_type text;
BEGIN
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = m.source;
    IF kind IS NULL THEN
        RAISE EXCEPTION 'export source % does not exist', m.source::oid USING ERRCODE = '42P01';
    END IF;
    IF kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
        RAISE EXCEPTION 'export source % is not a table, view or materialized view', m.source
            USING ERRCODE = '42809', HINT = 'Export from a table, a view or a materialized view.';
    END IF;
    IF NOT has_table_privilege(m.source, 'SELECT') THEN
        RAISE EXCEPTION 'permission denied for export source %', m.source
            USING ERRCODE = '42501', HINT = 'An export reads its source with the privileges of the role that runs it: GRANT SELECT on it.';
    END IF;
    IF NOT woocommerce._column_exists(m.source, m.key_column) THEN
        RAISE EXCEPTION 'export source % has no key column "%"', m.source, m.key_column
            USING ERRCODE = '22023',
                  HINT = format('Name a unique, not null column of it as key_column (columns: %s).',
                                (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                                  WHERE a.attrelid = m.source AND a.attnum > 0 AND NOT a.attisdropped));
    END IF;
    IF jsonb_typeof(m.field_expressions) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'field_expressions must be a JSON object'
            USING ERRCODE = '22023', HINT = 'It maps a WooCommerce field to a SQL expression, e.g. {"name": "title || '' '' || brand"}.';
    END IF;
    FOR e IN SELECT key, value FROM jsonb_each(m.field_expressions) ORDER BY key LOOP
        PERFORM woocommerce.check_woo_field(e.key, 'export', 'field_expressions');
        IF jsonb_typeof(e.value) <> 'string' THEN
            RAISE EXCEPTION 'the expression for WooCommerce field "%" in field_expressions must be a string', e.key
                USING ERRCODE = '22023', HINT = 'Write the SQL expression as a JSON string.';
        END IF;
    END LOOP;
    from_clause := format('%s AS src', m.source);
    FOR e IN SELECT x.field, x.expression
               FROM woocommerce._export_expressions(m.source, m.field_mappings, m.field_expressions,
                                                    ARRAY(SELECT DISTINCT f FROM unnest(m.selected_fields
                                                              || ARRAY(SELECT jsonb_object_keys(m.field_expressions))) f
                                                           ORDER BY 1)) x
    LOOP
        IF e.expression IS NULL THEN
            RAISE EXCEPTION 'WooCommerce field "%" has no value in export source %', e.field, m.source
                USING ERRCODE = '22023',
                      HINT = format('Give it an expression in field_expressions, e.g. {"%s": "..."}, or a column "%s" in the source.',
                                    e.field, e.field);
        END IF;
        t := woocommerce._expression_type(from_clause, e.expression, format('WooCommerce field "%s"', e.field));
        SELECT f.json_type INTO json_type FROM woocommerce.product_field f WHERE f.name = e.field;
        needed := woocommerce._field_type_needed(e.field, json_type, t);
        IF needed IS NOT NULL THEN
            RAISE EXCEPTION 'the expression for WooCommerce field "%" is of type %, which does not suit it', e.field, t
                USING ERRCODE = '22023', DETAIL = format('Expression: %s', e.expression),
                      HINT = format('WooCommerce''s %s needs %s: cast the expression, e.g. (%s)::%s.', e.field, needed,
                                    e.expression, split_part(needed, ' ', 1));
        END IF;
    END LOOP;
    IF m.parent_key_column IS NOT NULL THEN
        PERFORM woocommerce._expression_type(from_clause, m.parent_key_column, 'parent_key_column');
        IF NOT 'type' = ANY (m.selected_fields) THEN
            RAISE EXCEPTION 'an export mapping with variations (parent_key_column) must select the field "type"'
                USING ERRCODE = '22023',
                      HINT = 'WooCommerce keeps variations only under variable products: add "type" to selected_fields (with an expression giving ''variable'' for parents, ''variation'' for the others).';
        END IF;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION woocommerce.export_mapping_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    f text;
    missing text[];
    e record;
BEGIN
    IF TG_OP = 'INSERT' OR NEW.selected_fields IS DISTINCT FROM OLD.selected_fields
       OR NEW.field_mappings IS DISTINCT FROM OLD.field_mappings OR NEW.source IS DISTINCT FROM OLD.source
       OR NEW.key_column IS DISTINCT FROM OLD.key_column OR NEW.field_expressions IS DISTINCT FROM OLD.field_expressions
       OR NEW.parent_key_column IS DISTINCT FROM OLD.parent_key_column THEN
        IF NEW.selected_fields IS NULL OR array_position(NEW.selected_fields, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'selected_fields must be an array of WooCommerce product field names without NULLs'
                USING ERRCODE = '22023';
        END IF;
        SELECT array_agg(r ORDER BY r) INTO missing
          FROM unnest(ARRAY['name', 'sku']) AS r WHERE NOT r = ANY (NEW.selected_fields);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'selected_fields must include "name" and "sku" (missing: %)', array_to_string(missing, ', ')
                USING ERRCODE = '22023',
                      HINT = 'name and sku identify a product in the store: every export sends them. Add them to selected_fields.';
        END IF;
        FOREACH f IN ARRAY NEW.selected_fields LOOP
            PERFORM woocommerce.check_woo_field(f, 'export', 'selected_fields');
        END LOOP;
        PERFORM woocommerce.check_string_map(NEW.field_mappings, 'field_mappings',
                                             'a local field (column of the source) to a writable WooCommerce product field');
        FOR e IN SELECT key, value #>> '{}' AS value FROM jsonb_each(NEW.field_mappings) ORDER BY key LOOP
            IF NEW.source = 'woocommerce.product'::regclass THEN
                PERFORM woocommerce.check_local_field(e.key, 'field_mappings');
            ELSIF NOT woocommerce._column_exists(NEW.source, e.key) THEN
                RAISE EXCEPTION 'unknown local field "%" in field_mappings: % has no such column', e.key, NEW.source
                    USING ERRCODE = '22023', HINT = 'Keys of field_mappings are columns of the export source.';
            END IF;
            PERFORM woocommerce.check_woo_field(e.value, 'export', format('field_mappings (for local field "%s")', e.key));
        END LOOP;
        PERFORM woocommerce._check_export_source(NEW);
    END IF;
    -- At most one active mapping per connection: activating this one
    -- deactivates the others.
    IF NEW.is_active THEN
        UPDATE woocommerce.export_mapping m SET is_active = false
         WHERE m.connection_id = NEW.connection_id AND m.is_active AND m.id <> NEW.id;
    END IF;
    RETURN NEW;
END
$$;

-- The key expression of an import mapping: its column_expressions entry,
-- else the store's SKU (a product without one: woo-<connection>-<id>).
CREATE FUNCTION woocommerce._import_key_expression(m woocommerce.import_mapping)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(m.column_expressions->>m.key_column,
                    format('coalesce(nullif(p->>''sku'', ''''), ''woo-%s-'' || (p->>''id''))', m.connection_id))
$$;

-- Every rule of an import mapping that needs the target.
CREATE FUNCTION woocommerce._check_import_target(m woocommerce.import_mapping)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    kind "char";
    e record;
    columns text;
    statement_name text := 'woocommerce_import_check_' || pg_backend_pid();
    msg text;
    code text;
    missing text;
BEGIN
    SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = m.target;
    IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION 'import target % is not a table', coalesce(m.target::text, 'NULL')
            USING ERRCODE = '42809', HINT = 'Import into a table (a view or materialized view cannot take the rows).';
    END IF;
    IF NOT (has_table_privilege(m.target, 'INSERT') AND has_table_privilege(m.target, 'UPDATE')
            AND has_table_privilege(m.target, 'SELECT')) THEN
        RAISE EXCEPTION 'permission denied for import target %', m.target
            USING ERRCODE = '42501',
                  HINT = 'An import writes its target with the privileges of the role that runs it: GRANT SELECT, INSERT, UPDATE on it.';
    END IF;
    IF jsonb_typeof(m.column_expressions) IS DISTINCT FROM 'object' THEN
        RAISE EXCEPTION 'column_expressions must be a JSON object'
            USING ERRCODE = '22023', HINT = 'It maps a target column to a SQL expression over p, e.g. {"title": "p->>''name''"}.';
    END IF;
    IF m.target = 'woocommerce.product'::regclass THEN
        IF m.column_expressions <> '{}' THEN
            RAISE EXCEPTION 'column_expressions are for import targets other than woocommerce.product'
                USING ERRCODE = '22023',
                      HINT = 'woocommerce.product is written by field_mappings and attribute_mappings.';
        END IF;
        RETURN;
    END IF;
    IF m.field_mappings <> '{}' OR m.attribute_mappings <> '{}' THEN
        RAISE EXCEPTION 'field_mappings and attribute_mappings are for the import target woocommerce.product'
            USING ERRCODE = '22023', HINT = format('Map the columns of %s with column_expressions.', m.target);
    END IF;
    IF NOT woocommerce._column_exists(m.target, m.key_column) THEN
        RAISE EXCEPTION 'import target % has no key column "%"', m.target, m.key_column
            USING ERRCODE = '22023', HINT = 'Name a column with a unique index of its own as key_column.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a
                                  ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                    WHERE i.indrelid = m.target AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL
                      AND i.indexprs IS NULL AND a.attname = m.key_column) THEN
        RAISE EXCEPTION 'import target % has no unique index on its key column "%"', m.target, m.key_column
            USING ERRCODE = '22023',
                  HINT = format('An import upserts by the key: CREATE UNIQUE INDEX ON %s (%I), or make it the primary key.',
                                m.target, m.key_column);
    END IF;
    FOR e IN SELECT key, value FROM jsonb_each(m.column_expressions) ORDER BY key LOOP
        IF NOT woocommerce._column_exists(m.target, e.key) THEN
            RAISE EXCEPTION 'unknown column "%" in column_expressions: % has no such column', e.key, m.target
                USING ERRCODE = '22023', HINT = 'Keys of column_expressions are columns of the import target.';
        END IF;
        IF jsonb_typeof(e.value) <> 'string' OR btrim(e.value #>> '{}') = '' THEN
            RAISE EXCEPTION 'the expression for column "%" in column_expressions must be a non-empty string', e.key
                USING ERRCODE = '22023', HINT = 'Write the SQL expression over p as a JSON string, e.g. "p->>''name''".';
        END IF;
    END LOOP;
    -- Every column the import writes, checked as the import writes it: the
    -- statement is prepared (parsed and type-checked, not run).
    FOR e IN SELECT c AS column_name, woocommerce._import_column_expression(m, c) AS expression
               FROM unnest(woocommerce._import_columns(m)) c LOOP
        BEGIN
            EXECUTE format('PREPARE %I AS INSERT INTO %s (%I) SELECT (%s) FROM (SELECT $1::jsonb AS p) AS src',
                           statement_name, m.target, e.column_name, e.expression);
            EXECUTE format('DEALLOCATE %I', statement_name);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, code = RETURNED_SQLSTATE;
            RAISE EXCEPTION 'invalid expression for column "%" of import target %: %', e.column_name, m.target, e.expression
                USING ERRCODE = CASE WHEN code LIKE 'XX%' THEN '22023' ELSE code END, DETAIL = msg,
                      HINT = 'An expression is SQL over p, the WooCommerce product as jsonb, e.g. (p->>''regular_price'')::numeric.';
        END;
    END LOOP;
    -- A NOT NULL column without a default needs a value.
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO missing
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = m.target AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull AND NOT a.atthasdef
       AND a.attidentity = '' AND a.attgenerated = '' AND NOT a.attname = ANY (woocommerce._import_columns(m));
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'import target % has NOT NULL columns without a value: %', m.target, missing
            USING ERRCODE = '22023', HINT = 'Give each an expression in column_expressions, or a default.';
    END IF;
END
$$;

-- The columns an import writes: the key column and those with an expression.
CREATE FUNCTION woocommerce._import_columns(m woocommerce.import_mapping)
RETURNS text[]
LANGUAGE sql STABLE
AS $$
    SELECT ARRAY[m.key_column] || coalesce(array_agg(k ORDER BY k) FILTER (WHERE k <> m.key_column), '{}')
      FROM jsonb_object_keys(m.column_expressions) k
$$;

CREATE FUNCTION woocommerce._import_column_expression(m woocommerce.import_mapping, column_name text)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN column_name = m.key_column THEN woocommerce._import_key_expression(m)
                ELSE m.column_expressions->>column_name END
$$;

CREATE OR REPLACE FUNCTION woocommerce.import_mapping_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    e record;
BEGIN
    IF TG_OP = 'INSERT' OR NEW.attribute_mappings IS DISTINCT FROM OLD.attribute_mappings
       OR NEW.field_mappings IS DISTINCT FROM OLD.field_mappings OR NEW.target IS DISTINCT FROM OLD.target
       OR NEW.key_column IS DISTINCT FROM OLD.key_column OR NEW.column_expressions IS DISTINCT FROM OLD.column_expressions THEN
        PERFORM woocommerce.check_string_map(NEW.attribute_mappings, 'attribute_mappings',
                                             'a WooCommerce attribute name or pa_ slug to a local attribute key');
        FOR e IN SELECT key FROM jsonb_each(NEW.attribute_mappings) WHERE key LIKE 'pa\_%' ORDER BY key LOOP
            IF e.key !~ '^pa_[a-z0-9_-]+$' THEN
                RAISE EXCEPTION 'invalid attribute slug "%" in attribute_mappings', e.key
                    USING ERRCODE = '22023',
                          HINT = 'Global attribute slugs are "pa_" followed by lower-case letters, digits, "-" and "_" (e.g. pa_color); other keys are attribute names.';
            END IF;
        END LOOP;
        PERFORM woocommerce.check_string_map(NEW.field_mappings, 'field_mappings',
                                             'a WooCommerce product field to a local field (column of woocommerce.product)');
        FOR e IN SELECT key, value #>> '{}' AS value FROM jsonb_each(NEW.field_mappings) ORDER BY key LOOP
            PERFORM woocommerce.check_woo_field(e.key, 'import', 'field_mappings');
            PERFORM woocommerce.check_local_field(e.value, format('field_mappings (for WooCommerce field "%s")', e.key));
        END LOOP;
        PERFORM woocommerce._check_import_target(NEW);
    END IF;
    IF NEW.is_active THEN
        UPDATE woocommerce.import_mapping m SET is_active = false
         WHERE m.connection_id = NEW.connection_id AND m.is_active AND m.id <> NEW.id;
    END IF;
    RETURN NEW;
END
$$;

-- Mapping functions with the new arguments ---------------------------------------------

DROP FUNCTION woocommerce.create_export_mapping(bigint, text, text[], jsonb, boolean);
DROP FUNCTION woocommerce.update_export_mapping(bigint, text, text[], jsonb, boolean);
DROP FUNCTION woocommerce.create_import_mapping(bigint, text, jsonb, jsonb, boolean);
DROP FUNCTION woocommerce.update_import_mapping(bigint, text, jsonb, jsonb, boolean);

CREATE FUNCTION woocommerce.create_export_mapping(
    connection_id bigint,
    name text,
    selected_fields text[],
    field_mappings jsonb DEFAULT '{}',
    is_active boolean DEFAULT true,
    source regclass DEFAULT 'woocommerce.product',
    key_column text DEFAULT 'id',
    field_expressions jsonb DEFAULT '{}',
    parent_key_column text DEFAULT NULL)
RETURNS woocommerce.export_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.export_mapping;
BEGIN
    INSERT INTO woocommerce.export_mapping (connection_id, name, selected_fields, field_mappings, is_active, source,
                                            key_column, field_expressions, parent_key_column)
    VALUES ((woocommerce.get_connection(create_export_mapping.connection_id)).id, create_export_mapping.name,
            create_export_mapping.selected_fields, coalesce(create_export_mapping.field_mappings, '{}'),
            coalesce(create_export_mapping.is_active, true),
            coalesce(create_export_mapping.source, 'woocommerce.product'::regclass),
            coalesce(create_export_mapping.key_column, 'id'),
            coalesce(create_export_mapping.field_expressions, '{}'), create_export_mapping.parent_key_column)
    RETURNING * INTO m;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.update_export_mapping(
    mapping_id bigint,
    name text DEFAULT NULL,
    selected_fields text[] DEFAULT NULL,
    field_mappings jsonb DEFAULT NULL,
    is_active boolean DEFAULT NULL,
    source regclass DEFAULT NULL,
    key_column text DEFAULT NULL,
    field_expressions jsonb DEFAULT NULL,
    parent_key_column text DEFAULT NULL)
RETURNS woocommerce.export_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.export_mapping;
BEGIN
    UPDATE woocommerce.export_mapping x
       SET name = coalesce(update_export_mapping.name, x.name),
           selected_fields = coalesce(update_export_mapping.selected_fields, x.selected_fields),
           field_mappings = coalesce(update_export_mapping.field_mappings, x.field_mappings),
           is_active = coalesce(update_export_mapping.is_active, x.is_active),
           source = coalesce(update_export_mapping.source, x.source),
           key_column = coalesce(update_export_mapping.key_column, x.key_column),
           field_expressions = coalesce(update_export_mapping.field_expressions, x.field_expressions),
           parent_key_column = CASE WHEN update_export_mapping.parent_key_column = '' THEN NULL
                                    ELSE coalesce(update_export_mapping.parent_key_column, x.parent_key_column) END
     WHERE x.id = mapping_id
    RETURNING * INTO m;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'export mapping % not found', coalesce(mapping_id::text, 'NULL') USING ERRCODE = '42704';
    END IF;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.create_import_mapping(
    connection_id bigint,
    name text,
    attribute_mappings jsonb DEFAULT '{}',
    field_mappings jsonb DEFAULT '{}',
    is_active boolean DEFAULT true,
    target regclass DEFAULT 'woocommerce.product',
    key_column text DEFAULT 'sku',
    column_expressions jsonb DEFAULT '{}')
RETURNS woocommerce.import_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.import_mapping;
BEGIN
    INSERT INTO woocommerce.import_mapping (connection_id, name, attribute_mappings, field_mappings, is_active, target,
                                            key_column, column_expressions)
    VALUES ((woocommerce.get_connection(create_import_mapping.connection_id)).id, create_import_mapping.name,
            coalesce(create_import_mapping.attribute_mappings, '{}'), coalesce(create_import_mapping.field_mappings, '{}'),
            coalesce(create_import_mapping.is_active, true),
            coalesce(create_import_mapping.target, 'woocommerce.product'::regclass),
            coalesce(create_import_mapping.key_column, 'sku'), coalesce(create_import_mapping.column_expressions, '{}'))
    RETURNING * INTO m;
    RETURN m;
END
$$;

CREATE FUNCTION woocommerce.update_import_mapping(
    mapping_id bigint,
    name text DEFAULT NULL,
    attribute_mappings jsonb DEFAULT NULL,
    field_mappings jsonb DEFAULT NULL,
    is_active boolean DEFAULT NULL,
    target regclass DEFAULT NULL,
    key_column text DEFAULT NULL,
    column_expressions jsonb DEFAULT NULL)
RETURNS woocommerce.import_mapping
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    m woocommerce.import_mapping;
BEGIN
    UPDATE woocommerce.import_mapping x
       SET name = coalesce(update_import_mapping.name, x.name),
           attribute_mappings = coalesce(update_import_mapping.attribute_mappings, x.attribute_mappings),
           field_mappings = coalesce(update_import_mapping.field_mappings, x.field_mappings),
           is_active = coalesce(update_import_mapping.is_active, x.is_active),
           target = coalesce(update_import_mapping.target, x.target),
           key_column = coalesce(update_import_mapping.key_column, x.key_column),
           column_expressions = coalesce(update_import_mapping.column_expressions, x.column_expressions)
     WHERE x.id = mapping_id
    RETURNING * INTO m;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'import mapping % not found', coalesce(mapping_id::text, 'NULL') USING ERRCODE = '42704';
    END IF;
    RETURN m;
END
$$;

COMMENT ON FUNCTION woocommerce.create_export_mapping(bigint, text, text[], jsonb, boolean, regclass, text, jsonb, text) IS
'Create an export mapping: the fields sent, and where their values come from (a source relation, its key, SQL expressions)';
COMMENT ON FUNCTION woocommerce.create_import_mapping(bigint, text, jsonb, jsonb, boolean, regclass, text, jsonb) IS
'Create an import mapping: woocommerce.product with field and attribute mappings, or any table with column expressions over p';

REVOKE EXECUTE ON FUNCTION
    woocommerce.create_export_mapping(bigint, text, text[], jsonb, boolean, regclass, text, jsonb, text),
    woocommerce.update_export_mapping(bigint, text, text[], jsonb, boolean, regclass, text, jsonb, text),
    woocommerce.create_import_mapping(bigint, text, jsonb, jsonb, boolean, regclass, text, jsonb),
    woocommerce.update_import_mapping(bigint, text, jsonb, jsonb, boolean, regclass, text, jsonb),
    woocommerce.product_sync_before_write()
FROM PUBLIC;
-- (The checks the mapping triggers call stay executable by everybody, like
-- check_woo_field: a trigger runs them with the privileges of the role
-- that writes the mapping.)
