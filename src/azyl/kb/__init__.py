"""azyl.kb"""
