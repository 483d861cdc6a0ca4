from ninja import NinjaAPI

api = NinjaAPI(title="Qorgau API", version="1")
