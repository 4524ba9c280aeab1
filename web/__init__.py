"""The app's extra HTTP routes served beside Streamlit's pages, without a session."""
