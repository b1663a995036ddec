"""about"""
from fastapi import APIRouter
router = APIRouter()
