from django.conf import settings


def site(request):
    return {"network_name": settings.NETWORK_NAME}
