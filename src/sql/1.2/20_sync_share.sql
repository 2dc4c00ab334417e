-- woocommerce_fdw 1.2, issue 17 part 3: sharing a connection's sync status
-- with another role, without membership and without its secrets.
--
-- Role membership is not the way: a member of alice can SET ROLE alice, and
-- then PostgreSQL shows it alice's user mappings with their options, the
-- consumer secret included. A share instead names a role that may *see*
-- one connection's row, its sync runs and its product sync states (and so
-- call sync_status). It cannot see the owner's products or mappings,
-- change or sync the connection, or read its user mapping: the keys stay in
-- the owner's user mapping, which PostgreSQL shows only to the owner, the
-- server's owner and superusers.

CREATE TABLE woocommerce.connection_share (
    connection_id bigint NOT NULL REFERENCES woocommerce.connection (id) ON DELETE CASCADE,
    owner regrole NOT NULL,      -- the connection's owner (set by the trigger)
    grantee regrole NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, grantee)
);
CREATE INDEX connection_share_grantee_idx ON woocommerce.connection_share (grantee);

COMMENT ON TABLE woocommerce.connection_share IS
'Roles that may see a connection, its sync runs and its product sync states (read-only; never its secrets)';

-- The owner column is the connection's owner, whatever was written: the
-- policies below then need no look at woocommerce.connection (whose own
-- policy looks here).
CREATE FUNCTION woocommerce.connection_share_before_write()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    SELECT c.owner INTO NEW.owner FROM woocommerce.connection c WHERE c.id = NEW.connection_id;
    IF NEW.owner IS NULL THEN
        RAISE EXCEPTION 'connection % not found', NEW.connection_id
            USING ERRCODE = '42704',
                  HINT = 'SELECT id, store_name, store_url FROM woocommerce.connection lists the connections you can use.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER connection_share_before_write BEFORE INSERT OR UPDATE ON woocommerce.connection_share
    FOR EACH ROW EXECUTE FUNCTION woocommerce.connection_share_before_write();

ALTER TABLE woocommerce.connection_share ENABLE ROW LEVEL SECURITY;

-- The connection's owner manages its shares; a grantee sees its own.
CREATE POLICY connection_share_owner ON woocommerce.connection_share
    USING (pg_has_role(current_user, owner, 'MEMBER'))
    WITH CHECK (pg_has_role(current_user, owner, 'MEMBER'));
CREATE POLICY connection_share_grantee ON woocommerce.connection_share FOR SELECT
    USING (pg_has_role(current_user, grantee, 'MEMBER'));

-- Whether the current role may see connection `id` through a share. The
-- policies of connection, sync_run and product_sync call it for every role
-- that reads them, so everybody may read connection_share: its own policies
-- show a role only the shares of its connections and those made to it.
CREATE FUNCTION woocommerce._shared_with_me(connection_id bigint)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT EXISTS (SELECT 1 FROM woocommerce.connection_share s
                    WHERE s.connection_id = $1 AND pg_has_role(current_user, s.grantee, 'MEMBER'))
$$;

-- Read-only policies beside the owners' ones (permissive: either admits a
-- row for SELECT; UPDATE and DELETE still need the owner's).
CREATE POLICY connection_shared ON woocommerce.connection FOR SELECT
    USING (woocommerce._shared_with_me(id));
CREATE POLICY sync_run_shared ON woocommerce.sync_run FOR SELECT
    USING (woocommerce._shared_with_me(connection_id));
CREATE POLICY product_sync_shared ON woocommerce.product_sync FOR SELECT
    USING (woocommerce._shared_with_me(connection_id));

CREATE FUNCTION woocommerce.share_connection(connection_id bigint, grantee regrole)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(connection_id);
BEGIN
    IF grantee IS NULL THEN
        RAISE EXCEPTION 'grantee is required' USING ERRCODE = '22004';
    END IF;
    IF pg_has_role(grantee, c.owner, 'MEMBER') THEN
        RAISE NOTICE 'role % is a member of %, the owner of connection %: it has more than a share already',
                     grantee, c.owner, c.id;
    END IF;
    INSERT INTO woocommerce.connection_share (connection_id, owner, grantee)
    VALUES (c.id, c.owner, share_connection.grantee)
    ON CONFLICT DO NOTHING;
END
$$;

COMMENT ON FUNCTION woocommerce.share_connection(bigint, regrole) IS
'Let a role see this connection, its sync runs and product sync states (sync_status), without its secrets or products';

CREATE FUNCTION woocommerce.unshare_connection(connection_id bigint, grantee regrole)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    c woocommerce.connection := woocommerce.get_connection(connection_id);
BEGIN
    DELETE FROM woocommerce.connection_share s WHERE s.connection_id = c.id AND s.grantee = unshare_connection.grantee;
    RETURN FOUND;
END
$$;

COMMENT ON FUNCTION woocommerce.unshare_connection(bigint, regrole) IS
'End a share: the role no longer sees the connection (returns whether it had a share)';

-- The connection, if the current role may use it (it is a member of the
-- owner). A connection only shared with the role is refused: it may look,
-- not change or sync.
CREATE OR REPLACE FUNCTION woocommerce.get_connection(connection_id bigint)
RETURNS woocommerce.connection
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    c woocommerce.connection;
BEGIN
    SELECT * INTO c FROM woocommerce.connection x WHERE x.id = get_connection.connection_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'connection % not found', coalesce(connection_id::text, 'NULL')
            USING ERRCODE = '42704',
                  HINT = 'SELECT id, store_name, store_url FROM woocommerce.connection lists the connections you can use.';
    END IF;
    IF NOT pg_has_role(current_user, c.owner, 'MEMBER') THEN
        RAISE EXCEPTION 'connection % (%) is shared with you for viewing only', c.id, c.store_name
            USING ERRCODE = '42501',
                  HINT = format('Its owner, role %s, can change and sync it; you can read woocommerce.sync_status(%s).',
                                c.owner, c.id);
    END IF;
    RETURN c;
END
$$;

-- The connection if the current role owns it or it is shared with it.
CREATE FUNCTION woocommerce._visible_connection(connection_id bigint)
RETURNS woocommerce.connection
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    c woocommerce.connection;
BEGIN
    IF connection_id IS NULL THEN
        RETURN woocommerce.get_connection(woocommerce.connection_or_default(NULL));
    END IF;
    SELECT * INTO c FROM woocommerce.connection x WHERE x.id = _visible_connection.connection_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'connection % not found', connection_id
            USING ERRCODE = '42704',
                  HINT = 'SELECT id, store_name, store_url FROM woocommerce.connection lists the connections you can see.';
    END IF;
    RETURN c;
END
$$;

-- sync_status gains the last run: its status, when the last failure
-- happened and why. It works for shared connections.
DROP FUNCTION woocommerce.sync_status(bigint);

CREATE FUNCTION woocommerce.sync_status(connection_id bigint DEFAULT NULL)
RETURNS TABLE (connection_id bigint, total bigint, synced bigint, pending bigint, error bigint,
               last_synced_at timestamptz, products woocommerce.product_sync[],
               last_run_id bigint, last_run_status text, last_failed_at timestamptz, last_error text)
LANGUAGE sql STABLE
AS $$
    SELECT c.id, count(s.id), count(s.id) FILTER (WHERE s.sync_status = 'synced'),
           count(s.id) FILTER (WHERE s.sync_status = 'pending'), count(s.id) FILTER (WHERE s.sync_status = 'error'),
           c.last_synced_at,
           coalesce(array_agg(s ORDER BY s.product_id) FILTER (WHERE s.id IS NOT NULL), '{}'),
           last_run.id,
           -- a 'running' row whose session is gone was interrupted
           CASE WHEN last_run.status = 'running' AND NOT EXISTS (
                         SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = last_run.pid)
                THEN 'interrupted' ELSE last_run.status END,
           last_failure.finished_at, last_failure.error
      FROM woocommerce._visible_connection($1) c
      LEFT JOIN woocommerce.product_sync s ON s.connection_id = c.id
      LEFT JOIN LATERAL (SELECT r.id, r.status, r.pid FROM woocommerce.sync_run r
                          WHERE r.connection_id = c.id ORDER BY r.id DESC LIMIT 1) last_run ON true
      LEFT JOIN LATERAL (SELECT r.finished_at, r.error FROM woocommerce.sync_run r
                          WHERE r.connection_id = c.id AND r.status = 'failed' ORDER BY r.id DESC LIMIT 1) last_failure ON true
     GROUP BY c.id, c.last_synced_at, last_run.id, last_run.status, last_run.pid, last_failure.finished_at, last_failure.error
$$;

COMMENT ON FUNCTION woocommerce.sync_status(bigint) IS
'Counts of a connection''s sync rows by status, the rows themselves (unnest(products)), and its last run and last failure; for owned and shared connections';

REVOKE ALL ON woocommerce.connection_share FROM PUBLIC;
GRANT SELECT ON woocommerce.connection_share TO PUBLIC;  -- rows filtered by its policies
REVOKE EXECUTE ON FUNCTION
    woocommerce.connection_share_before_write(),
    woocommerce.share_connection(bigint, regrole),
    woocommerce.unshare_connection(bigint, regrole),
    woocommerce._visible_connection(bigint),
    woocommerce.sync_status(bigint)
FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('woocommerce.connection_share', '');
