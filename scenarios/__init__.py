"""The bundled scenarios (TOML files), shipped inside the nnplay package as nnplay.scenarios."""
