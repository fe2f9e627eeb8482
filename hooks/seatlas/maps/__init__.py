"""The maps: Folium's interactive views, the static PNG maps, and the pages and embeds that show them."""
