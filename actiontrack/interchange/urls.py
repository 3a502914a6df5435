app_name = "interchange"
urlpatterns = []
