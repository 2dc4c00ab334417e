"""woostore: a WooCommerce 10 compatible REST test store (standard library only)."""
__version__ = "1.0"
