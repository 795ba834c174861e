-- Lists are ordered by folded name: with this index a page of 50 is read from the index in
-- order instead of sorting every product.
CREATE INDEX products_name_order ON products (name_folded, id);
CREATE INDEX organizations_name_order ON organizations (name_folded, id);
