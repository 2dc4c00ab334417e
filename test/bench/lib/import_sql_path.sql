-- PostgreSQL's own SQL path for what an import writes, the baseline of the
-- "import at 0 ms" figure: the store's pages, already in bench_import_pages
-- as text, become woocommerce.product rows and their product_sync records in
-- one statement (JSON parsing, the same conversions as the import's mapping
-- for this catalogue, the catalog's triggers and constraints, upserts).
WITH item AS (
    SELECT e AS p, coalesce(nullif(e->>'sku', ''), 'woo-' || bench_connection() || '-' || (e->>'id')) AS sku
      FROM bench_import_pages, jsonb_array_elements(body::jsonb) AS e
), product AS (
    INSERT INTO woocommerce.product AS t
           (sku, name, type, status, description, short_description, regular_price, sale_price, stock_quantity,
            manage_stock, stock_status, weight, dimensions, categories, tags, images, attributes, meta_data)
    SELECT sku, replace(p->>'name', '&amp;', '&'),
           CASE WHEN p->>'type' IN ('simple', 'grouped', 'external', 'variable') THEN p->>'type' ELSE 'simple' END,
           p->>'status', p->>'description', p->>'short_description',
           nullif(p->>'regular_price', '')::numeric, nullif(p->>'sale_price', '')::numeric,
           CASE WHEN (p->>'manage_stock')::boolean THEN (p->>'stock_quantity')::integer END,
           (p->>'manage_stock')::boolean, p->>'stock_status', nullif(p->>'weight', '')::numeric,
           CASE WHEN p->'dimensions' <> '{"length": "", "width": "", "height": ""}' THEN p->'dimensions' END,
           ARRAY(SELECT replace(c->>'name', '&amp;', '&') FROM jsonb_array_elements(p->'categories') AS c),
           ARRAY(SELECT replace(g->>'name', '&amp;', '&') FROM jsonb_array_elements(p->'tags') AS g),
           ARRAY(SELECT i->>'src' FROM jsonb_array_elements(p->'images') AS i),
           coalesce((SELECT jsonb_object_agg(a->>'name', a->'options') FROM jsonb_array_elements(p->'attributes') AS a), '{}'),
           coalesce((SELECT jsonb_object_agg(m->>'key', m->'value') FROM jsonb_array_elements(p->'meta_data') AS m), '{}')
      FROM item
    ON CONFLICT (owner, sku) DO UPDATE
       SET name = EXCLUDED.name, type = EXCLUDED.type, status = EXCLUDED.status, description = EXCLUDED.description,
           short_description = EXCLUDED.short_description, regular_price = EXCLUDED.regular_price,
           sale_price = EXCLUDED.sale_price, stock_quantity = EXCLUDED.stock_quantity,
           manage_stock = EXCLUDED.manage_stock, stock_status = EXCLUDED.stock_status, weight = EXCLUDED.weight,
           dimensions = EXCLUDED.dimensions, categories = EXCLUDED.categories, tags = EXCLUDED.tags,
           images = EXCLUDED.images, attributes = EXCLUDED.attributes, meta_data = EXCLUDED.meta_data
    RETURNING t.id, t.sku
)
INSERT INTO woocommerce.product_sync AS s (connection_id, product_id, woo_product_id, last_imported_at, last_exchanged,
                                           sync_status)
SELECT bench_connection(), product.id, (item.p->>'id')::bigint, now(),
       jsonb_build_object('name', item.p->'name', 'sku', item.sku, 'type', item.p->'type', 'status', item.p->'status',
                          'description', item.p->'description', 'short_description', item.p->'short_description',
                          'regular_price', item.p->'regular_price', 'sale_price', item.p->'sale_price',
                          'stock_quantity', item.p->'stock_quantity', 'manage_stock', item.p->'manage_stock',
                          'stock_status', item.p->'stock_status', 'weight', item.p->'weight',
                          'dimensions', item.p->'dimensions', 'categories', item.p->'categories',
                          'tags', item.p->'tags', 'images', item.p->'images', 'attributes', item.p->'attributes',
                          'meta_data', item.p->'meta_data', 'date_modified_gmt', item.p->'date_modified_gmt'),
       'synced'
  FROM product JOIN item USING (sku)
ON CONFLICT (connection_id, product_id) DO UPDATE
   SET woo_product_id = EXCLUDED.woo_product_id, last_imported_at = EXCLUDED.last_imported_at,
       last_exchanged = EXCLUDED.last_exchanged, sync_status = 'synced', last_error = NULL;
