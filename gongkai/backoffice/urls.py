from django.urls import path

from gongkai.backoffice import staff, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("audit/", views.audit_list, name="audit_list"),
    # 本机关管理员: the agency's users and departments; supervisors read the roster
    path("staff/", staff.staff_home, name="staff"),
    path("staff/agency/<int:agency_pk>/", staff.staff_roster, name="staff_roster"),
    path("staff/users/new/", staff.staff_user_new, name="staff_user_new"),
    path("staff/users/<int:pk>/", staff.staff_user_edit, name="staff_user_edit"),
    path("staff/users/<int:pk>/active/", staff.staff_user_active, name="staff_user_active"),
    path("staff/users/<int:pk>/password-link/", staff.staff_password_link, name="staff_password_link"),
    path("staff/departments/new/", staff.staff_department_new, name="staff_department_new"),
    path("staff/departments/<int:pk>/", staff.staff_department_edit, name="staff_department_edit"),
]
