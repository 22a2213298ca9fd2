from __future__ import annotations

from django.urls import path

from zhenggai.opinions import views

app_name = "opinions"

urlpatterns = [
    path("inspection/<int:pk>/", views.inspection_opinions, name="inspection"),
    path("inspection/<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/out-of-scope/", views.out_of_scope, name="out_of_scope"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/open-measure/", views.open_measure, name="open_measure"),
    path("<int:pk>/reopen-measure/", views.reopen_measure, name="reopen_measure"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
]
