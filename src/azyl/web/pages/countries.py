"""countries"""
from fastapi import APIRouter
router = APIRouter()
