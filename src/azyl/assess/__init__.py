"""azyl.assess"""
