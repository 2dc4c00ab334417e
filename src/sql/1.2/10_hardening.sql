-- Hardening (issue 10): concurrent imports.
--
-- Before 1.2, an import whose set-based write failed (a row breaking a rule
-- of the local catalog, or, with several imports at once, a SKU another
-- session had just inserted) retried row by row, each row in its own
-- subtransaction that created and dropped a temporary table. A
-- subtransaction that commits hands its locks to the transaction, which
-- holds them to the end: thousands of rows held thousands of locks in the
-- shared lock table, and the import (or another session) failed with "out of
-- shared memory" after minutes of work. Now:
--   * imports writing one owner's catalog take turns (an advisory lock per
--     owner, held to the end of the transaction), so they no longer trip over
--     each other's new rows; the store conversations still run in parallel,
--     and syncs of one connection already take turns (woocommerce._sync_request);
--   * a failing write is bisected: the halves are retried, so finding k bad
--     rows among n takes about 2 k log2(n) subtransactions instead of n.

-- Advisory lock key spaces (pg_locks.classid of the two-key form):
-- 1464029766 with the foreign server's oid for a connection's syncs (taken in
-- C++, src/pg/sync_functions.cpp), 1464029767 with the owner role's oid for
-- writes to an owner's local catalog (here).
--
-- The rows are written all at once, else each half, down to single rows.
-- The lock is taken again at every level of the recursion, which is free
-- for its holder.
CREATE OR REPLACE FUNCTION woocommerce._import_apply(c woocommerce.connection, rows jsonb, update_existing boolean,
                                                     dedup boolean)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    n integer := coalesce(jsonb_array_length(rows), 0);
    owner_key integer := c.owner::oid::bigint::bit(32)::integer;
BEGIN
    IF NOT pg_catalog.pg_try_advisory_xact_lock(1464029767, owner_key) THEN
        RAISE NOTICE 'waiting for another import into the same local catalog to finish'
            USING DETAIL = format('Imports write the catalog of role %s one at a time; this one continues when the other one''s transaction ends.', c.owner),
                  HINT = 'SET lock_timeout to give up after a while instead (SQLSTATE 55P03).';
        PERFORM pg_catalog.pg_advisory_xact_lock(1464029767, owner_key);
    END IF;
    IF n = 0 THEN
        RETURN '[]';
    END IF;
    BEGIN
        RETURN woocommerce._import_apply_set(c, rows, update_existing, dedup);
    EXCEPTION WHEN OTHERS THEN
        IF n = 1 THEN
            RETURN jsonb_build_array(jsonb_build_object(
                'woo_product_id', (rows->0->>'woo_product_id')::bigint, 'product_id', NULL, 'action', 'failed',
                'error', SQLERRM));
        END IF;
    END;
    -- In order: a variation's parent is written before (or with) it.
    RETURN woocommerce._import_apply(
               c, (SELECT jsonb_agg(x.e ORDER BY x.o) FROM jsonb_array_elements(rows) WITH ORDINALITY AS x(e, o)
                    WHERE x.o <= n / 2), update_existing, dedup)
        || woocommerce._import_apply(
               c, (SELECT jsonb_agg(x.e ORDER BY x.o) FROM jsonb_array_elements(rows) WITH ORDINALITY AS x(e, o)
                    WHERE x.o > n / 2), update_existing, dedup);
END
$$;
