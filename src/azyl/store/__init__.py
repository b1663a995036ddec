"""azyl.store"""
