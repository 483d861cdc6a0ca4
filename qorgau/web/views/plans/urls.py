from django.urls import URLPattern, path

from qorgau.web.views.plans import pages, tasks

urlpatterns: list[URLPattern] = [
    path("cases/<int:pk>/minors/<int:accused_pk>/plan/new/", pages.plan_create, name="plan_create"),
    path("plans/<int:pk>/", pages.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/needs/new/", pages.need_add, name="plan_need_add"),
    path(
        "plans/<int:pk>/needs/suggested/",
        pages.need_add_suggested,
        name="plan_need_add_suggested",
    ),
    path("plans/<int:pk>/needs/<int:need_pk>/tasks/new/", pages.task_add, name="plan_task_add"),
    path("plans/<int:pk>/close/", pages.plan_close, name="plan_close"),
    path("plans/tasks/<int:pk>/answer/", tasks.task_answer, name="plan_task_answer"),
    path("plans/tasks/<int:pk>/done/", tasks.task_done, name="plan_task_done"),
    path("plans/tasks/<int:pk>/cancel/", tasks.task_cancel, name="plan_task_cancel"),
    path("tasks/", tasks.task_list_page, name="plan_tasks"),
]
