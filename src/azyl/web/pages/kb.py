"""kb"""
from fastapi import APIRouter
router = APIRouter()
