"""Personal data of contacts: export, erasure and automatic anonymisation."""
